"""The demo office: 某县人民政府办公室 with its sections, staff, county leaders, departments,
townships and their contacts, posts and rules. ``load_demo`` is idempotent: running it again
changes nothing. Workflow apps add their demo data through ``register_demo_loader``."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from office import roles
from office.demo_rules import POSTS, RULES
from office.models import Post, Rule, Unit, User

DEMO_PASSWORD = "Zhengban@2026"  # printed by `make run`; load_demo refuses to run without DEBUG

L, S, D, T, U = (Unit.Kind.LEADERSHIP, Unit.Kind.SECTION, Unit.Kind.DEPARTMENT,
                 Unit.Kind.TOWNSHIP, Unit.Kind.SUPERIOR)

UNITS = [
    # code, name, short name, kind
    ("LDBZ", "某县人民政府领导班子", "县政府领导", L),
    ("ZRS", "县政府办公室主任室", "办公室领导", S),
    ("MSK", "县政府办公室秘书科", "秘书科", S),
    ("WDK", "县政府办公室文电科", "文电科", S),
    ("DCS", "县政府办公室督查室", "督查室", S),
    ("XXK", "县政府办公室信息科", "信息科", S),
    ("XZK", "县政府办公室行政科", "行政科", S),
    ("FGJ", "某县发展和改革局", "县发改局", D),
    ("JYJ", "某县教育局", "县教育局", D),
    ("GAJ", "某县公安局", "县公安局", D),
    ("MZJ", "某县民政局", "县民政局", D),
    ("SFJ", "某县司法局", "县司法局", D),
    ("CZJ", "某县财政局", "县财政局", D),
    ("RSJ", "某县人力资源和社会保障局", "县人社局", D),
    ("ZRJ", "某县自然资源局", "县自然资源局", D),
    ("STJ", "某市生态环境局某县分局", "县生态环境分局", D),
    ("ZJJ", "某县住房和城乡建设局", "县住建局", D),
    ("JTJ", "某县交通运输局", "县交通运输局", D),
    ("SLJ", "某县水利局", "县水利局", D),
    ("NYJ", "某县农业农村局", "县农业农村局", D),
    ("SWJ", "某县商务局", "县商务局", D),
    ("WLJ", "某县文化和旅游局", "县文旅局", D),
    ("WJJ", "某县卫生健康局", "县卫健局", D),
    ("YJJ", "某县应急管理局", "县应急局", D),
    ("SJJ", "某县审计局", "县审计局", D),
    ("SCJ", "某县市场监督管理局", "县市场监管局", D),
    ("TJJ", "某县统计局", "县统计局", D),
    ("CGZ", "某县城关镇人民政府", "城关镇", T),
    ("XHZ", "某县新华镇人民政府", "新华镇", T),
    ("DCZ", "某县东城镇人民政府", "东城镇", T),
    ("HKZ", "某县河口镇人民政府", "河口镇", T),
    ("SQZ", "某县石桥镇人民政府", "石桥镇", T),
    ("LLX", "某县柳林乡人民政府", "柳林乡", T),
    ("QSX", "某县青山乡人民政府", "青山乡", T),
    ("BMX", "某县白马乡人民政府", "白马乡", T),
    ("LQX", "某县龙泉乡人民政府", "龙泉乡", T),
    ("YZX", "某县杨庄乡人民政府", "杨庄乡", T),
    ("SZFB", "某市人民政府办公室", "市政府办", U),
    ("SZF", "某市人民政府", "市政府", U),
    ("SZFBGT", "某省人民政府办公厅", "省政府办公厅", U),
]

C, SE, SC, OD, CL, UC = (roles.CLERK, roles.SECRETARY, roles.SECTION_CHIEF,
                         roles.OFFICE_DIRECTOR, roles.COUNTY_LEADER, roles.UNIT_CONTACT)

# username, full name, unit, post, job title, roles, heads the unit
STAFF = [
    ("wangjg", "王建国", "LDBZ", "P-COUNTY-HEAD", "县长", [CL], True),
    ("lihm", "李红梅", "LDBZ", "P-VICE-HEAD", "常务副县长", [CL], False),
    ("zhangwd", "张卫东", "LDBZ", "P-VICE-HEAD", "副县长", [CL], False),
    ("liuxy", "刘晓燕", "LDBZ", "P-VICE-HEAD", "副县长", [CL], False),
    ("chenzq", "陈志强", "ZRS", "P-DIRECTOR", "办公室主任", [OD], True),
    ("zhaolh", "赵丽华", "ZRS", "P-DEPUTY-DIRECTOR", "办公室副主任", [OD], False),
    ("sunm", "孙明", "ZRS", "P-DEPUTY-DIRECTOR", "办公室副主任", [OD], False),
    ("zhouw", "周文", "MSK", "P-MSK-CHIEF", "秘书科科长", [SC, SE], True),
    ("hesy", "何思源", "MSK", "P-SECRETARY", "秘书", [SE], False),
    ("majl", "马佳丽", "MSK", "P-SECRETARY", "秘书", [SE], False),
    ("gaop", "高鹏", "MSK", "P-SECRETARY", "秘书", [SE], False),
    ("linxr", "林欣然", "MSK", "P-SECRETARY", "秘书", [SE], False),
    ("wuj", "吴静", "WDK", "P-WDK-CHIEF", "文电科科长", [SC, C], True),
    ("zhengxl", "郑晓兰", "WDK", "P-CLERK", "文书", [C], False),
    ("fengl", "冯磊", "WDK", "P-CLERK", "收发员", [C], False),
    ("caoyy", "曹云燕", "WDK", "P-CONFIDENTIAL", "机要员", [C], False),
    ("xuh", "许慧", "WDK", "P-TYPIST", "文印员", [C], False),
    ("zhengq", "郑强", "DCS", "P-DCS-CHIEF", "督查室主任", [SC, SE], True),
    ("tangy", "唐毅", "DCS", "P-SUPERVISOR", "督查员", [SE], False),
    ("hanxue", "韩雪", "DCS", "P-SUPERVISOR", "督查员", [SE], False),
    ("dengk", "邓凯", "DCS", "P-SUPERVISOR", "督查员", [SE], False),
    ("yangf", "杨帆", "XXK", "P-XXK-CHIEF", "信息科科长", [SC, SE], True),
    ("songyq", "宋雨晴", "XXK", "P-INFO", "信息员", [SE], False),
    ("luoj", "罗杰", "XXK", "P-INFO", "信息员", [SE], False),
    ("baiyl", "白云龙", "XXK", "P-TRANSLATOR", "翻译", [SE], False),
    ("jiangh", "蒋华", "XZK", "P-XZK-CHIEF", "行政科科长", [SC, C], True),
    ("qianl", "钱丽", "XZK", "P-ACCOUNTANT", "会计", [C], False),
    ("sunjl", "孙建林", "XZK", "P-DRIVER", "驾驶员", [C], False),
    ("zhoudh", "周德厚", "XZK", "P-SERVICE", "工勤人员", [C], False),
    ("wujm", "吴建民", "XZK", "P-GUARD", "值班员", [C], False),
    ("sysadmin", "系统管理员", "XXK", "", "系统管理员", [roles.SYSTEM_ADMIN], False),
    ("secadmin", "安全管理员", "XXK", "", "安全管理员", [roles.SECURITY_ADMIN], False),
    ("auditadmin", "审计管理员", "XXK", "", "审计管理员", [roles.AUDIT_ADMIN], False),
]

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = ["立新", "海燕", "志刚", "秀英", "国平", "丽娟", "建军", "春梅", "永强", "晓东", "玉兰",
         "德明", "红霞", "文斌", "淑芬", "卫国", "桂芳", "振华", "小平", "金凤"]

# The demo logins `make run` prints: one per role.
KEY_LOGINS = ["zhengxl", "caoyy", "hesy", "wuj", "chenzq", "wangjg", "czj_contact", "tangy",
              "sysadmin", "secadmin", "auditadmin"]

_extra_loaders: list[Callable[[], None]] = []


def register_demo_loader(loader: Callable[[], None]) -> None:
    """Workflow apps add their demo data here (called after the office exists)."""
    if loader not in _extra_loaders:
        _extra_loaders.append(loader)


def _unit_people() -> list[tuple]:
    """A head and a contact for every department and township."""
    people = []
    n = 0
    for code, _name, short, kind in UNITS:
        if kind not in (D, T):
            continue
        head_title = "局长" if kind == D else ("镇长" if short.endswith("镇") else "乡长")
        for suffix, title, is_head in (("head", head_title, True), ("contact", "联络员", False)):
            full = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
            n += 1
            people.append((f"{code.lower()}_{suffix}", full, code, "", title, [UC], is_head))
    return people


def demo_totp_key(username: str) -> str:
    """The fixed TOTP key (hex) of a demo account: known, so `make run` can print it. Demo only
    (load_demo refuses to run without DEBUG)."""
    import hashlib

    return hashlib.sha1(f"zhengban-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


def enroll_demo_devices() -> int:
    """Give every demo account whose role requires a second factor (the administrators and the
    county leaders by default) an authenticator with a fixed key, so a newcomer can try every
    role: `make run` prints the keys, `manage.py demo_otp USER` the current code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from office import mfa

    count = 0
    for user in User.objects.filter(username__in=[p[0] for p in all_people()]).prefetch_related("groups"):
        if not mfa.required_for(user):
            continue
        key = demo_totp_key(user.username)
        device = TOTPDevice.objects.filter(user=user, name="演示设备").first()
        if device is None:
            TOTPDevice.objects.create(user=user, name="演示设备", key=key, confirmed=True)
            count += 1
        elif device.key != key or not device.confirmed:
            device.key, device.confirmed = key, True
            device.save(update_fields=["key", "confirmed"])
    return count


def office_moment(working_days_ago: int, hour: int, minute: int = 0) -> dt.datetime:
    """Demo only: a moment in office hours ``working_days_ago`` working days before today
    (0: today, or the last working day when today's office hours have not begun), never in the
    future (a time still to come today falls on the previous working day). Demo documents arrive, and demo
    steps happen, at such moments: never on a Sunday night."""
    from office.workdays import WorkCalendar

    cal = WorkCalendar.load()
    now = timezone.localtime()
    today = now.date()
    started = cal.is_working_day(today) and now.time() >= cal.work_starts
    day = today if started else cal.add_working_days(today, -1)
    if working_days_ago:
        day = cal.add_working_days(day, -working_days_ago)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    if moment > timezone.now():
        moment = timezone.make_aware(dt.datetime.combine(cal.add_working_days(day, -1), dt.time(hour, minute)))
    return moment


def later(moment: dt.datetime, working_minutes: int) -> dt.datetime:
    """Demo only: ``working_minutes`` of office time after ``moment``, but not after now."""
    from office.workdays import WorkCalendar

    return min(WorkCalendar.load().add_working_minutes(moment, working_minutes),
               timezone.now() - dt.timedelta(minutes=1))


@contextlib.contextmanager
def happening_at(moment: dt.datetime, *timelines) -> Iterator[None]:
    """Demo only: the workflow steps run inside happen at ``moment``: ``timezone.now()`` answers
    it, and the rows of ``timelines`` (TimelineEvent models, whose default captured the real
    clock) written inside are dated it. So a demo document's timeline is spread over the days
    it took, as a real one is. The audit trail keeps the real time (it cannot be changed)."""
    from office.models import Notification

    models = (*timelines, Notification)
    marks = {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in models}
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
    for model, last in marks.items():
        model.objects.filter(pk__gt=last).update(created_at=moment)


def all_people() -> list[tuple]:
    return STAFF + _unit_people()


# 归口: each secretary and deputy director answers for a set of departments and townships
LIAISON_SECRETARIES = ("hesy", "majl", "gaop", "linxr")
LIAISON_DIRECTORS = ("zhaolh", "sunm")


def _assign_liaison(units: dict) -> None:
    people = dict(User.objects.filter(username__in=LIAISON_SECRETARIES + LIAISON_DIRECTORS)
                  .values_list("username", "pk"))
    counties = [u for u in units.values() if u.kind in (D, T)]
    for i, unit in enumerate(sorted(counties, key=lambda u: (u.kind, u.order))):
        secretary = people.get(LIAISON_SECRETARIES[i % len(LIAISON_SECRETARIES)])
        director = people.get(LIAISON_DIRECTORS[i % len(LIAISON_DIRECTORS)])
        Unit.objects.filter(pk=unit.pk).update(liaison_secretary_id=secretary, liaison_director_id=director)


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Create or update the demo office. Idempotent."""
    from office import services

    units = {}
    for order, (code, name, short, kind) in enumerate(UNITS):
        unit, _ = Unit.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short, "kind": kind, "order": order})
        units[code] = unit
    posts = {}
    for order, p in enumerate(POSTS):
        post, _ = Post.objects.update_or_create(
            code=p["code"], defaults={"name": p["name"], "unit": units[p["unit"]],
                                      "duties": p["duties"], "is_leadership": p["is_leadership"],
                                      "order": order})
        posts[p["code"]] = post

    groups = {g.name: g for g in Group.objects.all()}
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: ~100 accounts load in a second
    people = all_people()
    existing = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in people])}
    created = 0
    for username, full, unit_code, post_code, title, role_names, is_head in people:
        admin = bool(set(role_names) & set(roles.ADMIN_ROLES))
        user = existing.get(username)
        fields = {"full_name": full, "unit": units[unit_code], "post": posts.get(post_code),
                  "title": title, "is_staff": admin, "email": f"{username}@county.gov.example"}
        if user is None:
            user = User.objects.create(username=username, password=password_hash, **fields)
            created += 1
        else:
            changed = [k for k, v in fields.items() if getattr(user, k) != v]
            for k in changed:
                setattr(user, k, fields[k])
            if changed:
                user.save(update_fields=changed)
        wanted = {groups[r].pk for r in role_names}
        if set(user.groups.values_list("pk", flat=True)) != wanted:
            user.groups.set(wanted)
        if is_head and units[unit_code].head_id != user.pk:
            Unit.objects.filter(pk=units[unit_code].pk).update(head=user)

    system_admin = User.objects.get(username="sysadmin")
    start = timezone.localdate().replace(month=1, day=1)
    for order, r in enumerate(RULES):
        rule, _ = Rule.objects.update_or_create(
            code=r["code"], defaults={"area": r["area"], "kind": r["kind"], "title": r["title"],
                                      "order": order})
        rule.posts.set([posts[c] for c in r["posts"]])
        if not rule.versions.exists():
            services.revise_rule(rule=rule, acting_user=system_admin, title=r["title"],
                                 body=r["body"], in_force_from=start)

    _assign_liaison(units)
    enroll_demo_devices()
    for loader in _extra_loaders:
        loader()
    return {"units": len(units), "posts": len(posts), "people": len(people),
            "created": created, "rules": len(RULES)}
