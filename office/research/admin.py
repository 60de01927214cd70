"""Research and the bulletin keep no admin data: tasks, reports and issues change through their steps."""
