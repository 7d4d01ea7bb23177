"""The command line as a script uses it: exit codes and Chinese messages."""
import sqlite3
import subprocess
import sys

from app.cli import EXIT_DB, EXIT_OK, EXIT_USER, main


def test_init_creates_the_schema(tmp_path, capsys):
    url = f"sqlite:///{(tmp_path / 'k.sqlite3').as_posix()}"
    assert main(["--db", url, "init"]) == EXIT_OK
    assert "数据库已就绪" in capsys.readouterr().out
    tables = {r[0] for r in sqlite3.connect(tmp_path / "k.sqlite3").execute("select name from sqlite_master")}
    assert {"customer", "key_person", "archive_entry", "audit_record"} <= tables


def test_unreachable_database_exits_3_with_a_chinese_message(capsys):
    code = main(["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "init"])
    assert code == EXIT_DB
    assert "无法打开数据库" in capsys.readouterr().err


def test_missing_import_file_exits_1(tmp_path, capsys):
    url = f"sqlite:///{(tmp_path / 'k.sqlite3').as_posix()}"
    assert main(["--db", url, "import-customers", str(tmp_path / "nope.xlsx")]) == EXIT_USER
    assert "找不到文件" in capsys.readouterr().err


def test_sqlite_backup_is_a_consistent_copy(tmp_path, sqlite_db):
    from app.services import customers

    customers.create_customer(sqlite_db, actor="t", values={"name": "备份测试有限公司"})
    target = tmp_path / "copy.sqlite3"
    assert main(["--db", sqlite_db.url, "backup", str(target)]) == EXIT_OK
    con = sqlite3.connect(target)
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    assert con.execute("select name from customer").fetchall() == [("备份测试有限公司",)]


def test_postgresql_backup_uses_pg_dump(tmp_path, pg_db):
    target = tmp_path / "pg.dump"
    assert main(["--db", pg_db.url, "backup", str(target)]) == EXIT_OK
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True)
    assert "TABLE public customer" in listing.stdout


def test_python_dash_m_app_runs(tmp_path):
    url = f"sqlite:///{(tmp_path / 'k.sqlite3').as_posix()}"
    done = subprocess.run([sys.executable, "-m", "app", "--db", url, "init"], capture_output=True, text=True)
    assert done.returncode == 0 and "数据库已就绪" in done.stdout


def test_commands_run_as_a_named_user_go_through_the_same_checks(tmp_path, sqlite_db, monkeypatch, capsys):
    from openpyxl import load_workbook

    from app.services import demo

    demo.generate(sqlite_db, customers=30, seed=1)
    monkeypatch.setenv("KEDESK_PASSWORD", "demo1234")
    out = tmp_path / "rep.xlsx"
    assert main(["--db", sqlite_db.url, "--user", "rep", "export-customers", str(out)]) == EXIT_USER
    assert "没有导出客户资料的权限" in capsys.readouterr().err and not out.exists()
    from sqlalchemy import select

    from models import ReadLog

    with sqlite_db.read() as s:  # the refusal is in the read log like any refused reading
        assert s.execute(select(ReadLog.username, ReadLog.action, ReadLog.allowed)).all() == [("rep", "export", False)]
    assert main(["--db", sqlite_db.url, "--user", "manager", "export-customers", str(out)]) == EXIT_OK
    rows = list(load_workbook(out, read_only=True).active.iter_rows(min_row=2, values_only=True))
    assert 0 < len(rows) < 30  # only the manager's department's archives
    monkeypatch.setenv("KEDESK_PASSWORD", "wrong")
    assert main(["--db", sqlite_db.url, "--user", "manager", "export-customers", str(out)]) == EXIT_USER
    assert "用户名或密码错误" in capsys.readouterr().err


def test_restore_asks_first_then_restores_and_verify_backup_checks_only(tmp_path, sqlite_db, monkeypatch, capsys):
    from app.services import customers

    customers.create_customer(sqlite_db, actor="t", values={"name": "恢复测试有限公司"})
    target = tmp_path / "b.sqlite3"
    assert main(["--db", sqlite_db.url, "backup", str(target)]) == EXIT_OK
    assert "已校验" in capsys.readouterr().out
    assert main(["verify-backup", str(target)]) == EXIT_OK
    assert "客户 1 条" in capsys.readouterr().out
    customers.create_customer(sqlite_db, actor="t", values={"name": "备份之后有限公司"})
    sqlite_db.dispose()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["--db", sqlite_db.url, "restore", str(target)]) == EXIT_USER
    assert "已取消恢复" in capsys.readouterr().err
    assert main(["--db", sqlite_db.url, "restore", str(target), "--yes"]) == EXIT_OK
    assert "恢复前的数据已另存为" in capsys.readouterr().out
    con = sqlite3.connect(tmp_path / "kedesk.sqlite3")
    assert con.execute("select name from customer").fetchall() == [("恢复测试有限公司",)]


def test_verify_backup_refuses_a_foreign_file_with_exit_1(tmp_path, capsys):
    other = tmp_path / "x.dump"
    other.write_text("hello")
    assert main(["verify-backup", str(other)]) == EXIT_USER
    assert "不是客台的备份文件" in capsys.readouterr().err


def test_backup_due_makes_the_monthly_backup_once(tmp_path, sqlite_db, capsys):
    assert main(["--db", sqlite_db.url, "backup-due"]) == EXIT_OK
    assert "每月备份已完成并校验" in capsys.readouterr().out
    assert main(["--db", sqlite_db.url, "backup-due"]) == EXIT_OK
    assert "未到每月备份时间" in capsys.readouterr().out


def test_a_named_user_without_the_permission_cannot_import_back_up_restore_or_make_demo_data(
        tmp_path, sqlite_db, monkeypatch, capsys):
    from app.services import demo

    demo.generate(sqlite_db, customers=20, seed=2)
    made, sheet = tmp_path / "before.sqlite3", tmp_path / "all.xlsx"
    assert main(["--db", sqlite_db.url, "backup", str(made)]) == EXIT_OK  # without --user: the system
    assert main(["--db", sqlite_db.url, "export-customers", str(sheet)]) == EXIT_OK
    capsys.readouterr()
    monkeypatch.setenv("KEDESK_PASSWORD", "demo1234")
    refused = {
        ("import-customers", str(sheet)): "没有导入客户的权限",
        ("backup", str(tmp_path / "rep.sqlite3")): "没有备份数据库的权限",
        ("restore", str(made), "--yes"): "没有恢复数据库的权限",
        ("backup-due",): "没有备份数据库的权限",
        ("demo", "--customers", "5"): "没有生成演示数据的权限",
        ("pg-app-role", "kedesk_app"): "没有创建数据库应用角色的权限",
    }
    for command, message in refused.items():
        assert main(["--db", sqlite_db.url, "--user", "rep", *command]) == EXIT_USER, command
        assert message in capsys.readouterr().err, command
    assert not (tmp_path / "rep.sqlite3").exists()
    con = sqlite3.connect(tmp_path / "kedesk.sqlite3")
    assert con.execute("select count(*) from customer").fetchone() == (20,)  # nothing imported or restored


def test_a_reset_password_must_be_changed_before_the_command_line_works(tmp_path, sqlite_db, monkeypatch, capsys):
    from app.services import demo, users

    demo.generate(sqlite_db, customers=5, seed=1)
    admin = users.authenticate(sqlite_db, username="admin", password="demo1234")
    rep = next(u for u in users.list_users(sqlite_db) if u.username == "manager")
    users.reset_password(sqlite_db, user_id=rep.id, password="Temp-2026!", by=admin)
    monkeypatch.setenv("KEDESK_PASSWORD", "Temp-2026!")
    out = tmp_path / "m.xlsx"
    assert main(["--db", sqlite_db.url, "--user", "manager", "export-customers", str(out)]) == EXIT_USER
    assert "请先在客台窗口登录并修改密码" in capsys.readouterr().err and not out.exists()
