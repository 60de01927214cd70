"""Study day has no admin data: sessions, attendance and notes are the staff's own records,
kept through their steps (administrators see no business content)."""
