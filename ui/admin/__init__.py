"""Administration windows: users and roles (用户与角色), the read log (借阅记录)."""
