"""Command line: `python -m app [--db URL] [COMMAND]`; without a command the window opens.

Exit codes a script can rely on: 0 done, 1 user error (message on stderr, Chinese),
2 usage error, 3 database cannot be opened, 4 import refused (see the error report).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from app.db import DatabaseError
from app.errors import UserError

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_DB, EXIT_IMPORT = 0, 1, 2, 3, 4
log = logging.getLogger("kedesk.cli")

# commands whose service takes no user: with --user they need this permission first. The others pass the
# user to their service (import, export, backup, restore), which checks it; init and verify-backup read no
# customer data. Without --user the operator of the database runs the command with every permission.
REQUIRES = {"demo": ("customer.import", "生成演示数据"), "pg-app-role": ("users.manage", "创建数据库应用角色"),
            "backup-due": ("backup.run", "备份数据库")}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kedesk", description="客台 KeDesk 客户管理与选房票务")
    p.add_argument("--db", metavar="URL", help="数据库地址:sqlite:///文件路径 或 postgresql://用户@主机/库")
    p.add_argument("--self-test", action="store_true", help="打开主窗口、检查每个标签页后退出(0=正常)")
    p.add_argument("--demo", action="store_true", help="数据库为空时先生成演示数据,再打开窗口")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="界面语言")
    p.add_argument("--laptop", nargs="?", const="", metavar="FILE",
                   help="离线外出:在本机加密副本上打开窗口(默认数据目录下 offline.kedesk)")
    p.add_argument("--user", help="以该用户身份执行命令(密码取自环境变量 KEDESK_PASSWORD 或在终端输入);"
                                  "不指定时以系统管理身份执行")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("init", help="创建或升级数据库结构")
    demo = sub.add_parser("demo", help="生成演示数据")
    demo.add_argument("--customers", type=int, default=2000, help="客户数量(默认 2000)")
    demo.add_argument("--seed", type=int, default=1, help="随机种子(相同种子得到相同数据)")
    imp = sub.add_parser("import-customers", help="从 Excel 导入客户")
    imp.add_argument("file", type=Path)
    imp.add_argument("--valid-only", action="store_true", help="只导入有效行(默认:有任何错误则全部不导入)")
    imp.add_argument("--actor", default="命令行", help="记录在修改记录中的操作人")
    exp = sub.add_parser("export-customers", help="把客户导出为 Excel")
    exp.add_argument("file", type=Path)
    role = sub.add_parser("pg-app-role", help="PostgreSQL:创建工作台使用的应用角色(历史表只能追加)")
    role.add_argument("role", help="角色名,例如 kedesk_app")
    role.add_argument("--password", help="该角色的登录密码")
    bak = sub.add_parser("backup", help="备份数据库到文件")
    bak.add_argument("file", type=Path)
    res = sub.add_parser("restore", help="从备份文件恢复数据库(先校验;当前数据先另存一份)")
    res.add_argument("file", type=Path)
    res.add_argument("--yes", action="store_true", help="不再询问,直接恢复")
    res.add_argument("--into", metavar="NAME", help="PostgreSQL:恢复到这个新数据库,而不是覆盖当前数据库")
    ver = sub.add_parser("verify-backup", help="只校验备份文件,不恢复")
    ver.add_argument("file", type=Path)
    sub.add_parser("backup-due", help="到了每月备份日就备份(供 Windows 任务计划或 cron 调用)")
    chk = sub.add_parser("checkout", help="离线外出:把本用户可阅读的客户检出到本机加密副本(需 --user)")
    chk.add_argument("--device", required=True, help="本机名称,例如 张三的笔记本")
    chk.add_argument("--file", type=Path, help="离线副本文件(默认在数据目录下 offline.kedesk)")
    syn = sub.add_parser("sync", help="离线外出:把离线修改同步到中心数据库并取回中心的修改(需 --user)")
    syn.add_argument("--file", type=Path, help="离线副本文件(默认在数据目录下 offline.kedesk)")
    vdraw = sub.add_parser("verify-draw", help="按登记的种子重算委建房单位的机选顺序并核对(0=一致,1=不一致)")
    vdraw.add_argument("unit", metavar="UNIT_NAME", help="委建房单位名称")
    audit = sub.add_parser("audit-event", help="选房活动稽核:逐个购房者核对票、占房、收款、凭证、编号与防篡改链(0=无问题,1=有问题)")
    audit.add_argument("project", metavar="PROJECT", help="选房项目代码或名称")
    return p


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        from ui.application import run  # the GUI is imported only when a window is wanted

        laptop = None if args.laptop is None else (Path(args.laptop) if args.laptop else _replica_path())
        return run(db_url=args.db, self_test=args.self_test, demo=args.demo, lang=args.lang, laptop=laptop)
    from app import logs

    logs.setup()  # a scheduled backup or an import leaves its trace in the same log as the window
    log.info("command %s", args.command)
    if args.command == "verify-backup":  # a file check: no database needed
        return _verify(args.file)
    if args.command in ("checkout", "sync") and not args.user:
        _err("离线副本属于一个用户:请用 --user 指定您的用户名")
        return EXIT_USAGE
    if args.command == "sync":  # the replica names its central database
        return _sync(args)
    try:
        from app.bootstrap import open_database

        # a restore must work even when the current database is damaged or needs no migration first
        db = open_database(args.db, migrate=args.command != "restore")
    except DatabaseError as exc:
        _err(f"无法打开数据库:{exc}")
        return EXIT_DB
    except Exception as exc:  # a wrong URL, server down, permissions: tell the operator plainly
        _err(f"无法打开数据库:{exc}")
        return EXIT_DB
    try:
        args.principal = _login(db, args.user) if args.user else None
        logs.set_desk_user(args.principal.username if args.principal else "command-line")
        if args.principal is not None and args.command in REQUIRES:
            args.principal.require(*REQUIRES[args.command])
        return _run_command(db, args)
    except UserError as exc:
        _err(exc.message)
        return EXIT_USER
    except Exception:
        log.exception("command %s failed", args.command)
        raise
    finally:
        db.dispose()


def _login(db, username: str):
    """The same login and permission checks as the window: a script names its user."""
    import getpass
    import os

    from app.services import users

    password = os.environ.get("KEDESK_PASSWORD") or getpass.getpass(f"{username} 的密码:")
    principal = users.authenticate(db, username=username, password=password)
    if principal.must_change_password:  # as the window does: a reset password is changed before any work
        from app.errors import UserError

        raise UserError(f"用户 {username} 的密码已被管理员重置,请先在客台窗口登录并修改密码,再使用命令行。")
    return principal


def _run_command(db, args) -> int:
    if args.command == "init":
        print(f"数据库已就绪:{db.url}")
        return EXIT_OK
    if args.command == "demo":
        from app.services import demo

        counts = demo.generate(db, customers=args.customers, seed=args.seed)
        print("演示数据已生成:" + ",".join(f"{k} {v}" for k, v in counts.items()))
        return EXIT_OK
    if args.command == "import-customers":
        from app.services import customer_import

        if not args.file.exists():
            _err(f"找不到文件:{args.file}")
            return EXIT_USER
        mode = "valid_only" if args.valid_only else "all_or_nothing"
        actor = args.principal.display_name if args.principal else args.actor
        result = customer_import.import_customers(db, actor=actor, path=args.file, mode=mode, user=args.principal)
        print(f"已导入 {result.imported} 行,有错误 {result.rejected} 行")
        if result.error_report:
            print(f"错误报告:{result.error_report}")
        return EXIT_IMPORT if result.rejected and result.imported == 0 else EXIT_OK
    if args.command == "export-customers":
        from app.services import customer_export
        from app.services.customer_search import CustomerFilter

        count = customer_export.export_customers(db, path=args.file, flt=CustomerFilter(), user=args.principal)
        print(f"已导出 {count} 个客户到 {args.file}")
        return EXIT_OK
    if args.command == "pg-app-role":
        from app.db.pg_roles import grant_app_role

        if db.dialect != "postgresql":
            _err("应用角色只用于 PostgreSQL 数据库")
            return EXIT_USER
        grant_app_role(db.engine, role=args.role, password=args.password)
        print(f"应用角色 {args.role} 已就绪:修改记录与借阅记录只能追加,不能修改或删除")
        return EXIT_OK
    if args.command == "backup":
        from app.services import backup
        from app.services.backup_check import verify_backup

        target = backup.backup(db, args.file, user=args.principal)
        print(f"备份完成并已校验:{target}\n{verify_backup(target).summary()}")
        return EXIT_OK
    if args.command == "restore":
        return _restore(db, args)
    if args.command == "backup-due":
        from app.services.backup_schedule import run_scheduled

        made = run_scheduled(db)
        print(f"每月备份已完成并校验:{made.file}" if made else "未到每月备份时间,无需备份")
        return EXIT_OK
    if args.command == "verify-draw":
        return _verify_draw(db, args.unit)
    if args.command == "audit-event":
        return _audit_event(db, args.project)
    if args.command == "checkout":
        from app.services.offline import checkout

        made = checkout.checkout(db, path=args.file or _replica_path(), password=_password(args.user),
                                 device_name=args.device, user=args.principal)
        print(f"已检出 {made.customers} 个客户到加密离线副本:{made.path}(设备 {args.device})")
        return EXIT_OK
    return EXIT_USAGE


def _replica_path() -> Path:
    from app.config import data_dir

    return data_dir() / "offline.kedesk"


def _password(username: str) -> str:
    import getpass
    import os

    return os.environ.get("KEDESK_PASSWORD") or getpass.getpass(f"{username} 的密码:")


def _sync(args) -> int:
    """Open the replica with the user's password, log in at the central database, push then pull."""
    from app.bootstrap import open_database
    from app.services import users
    from app.services.offline import checkout, journal, sync

    password = _password(args.user)
    try:
        laptop = checkout.open_replica(args.file or _replica_path(), password)
    except UserError as exc:
        _err(exc.message)
        return EXIT_USER
    try:
        with laptop.read() as s:
            url = args.db or journal.get_state(s, "central_url")
        try:
            central = open_database(url)
        except Exception as exc:  # the central database is not reachable: the edits stay queued
            _err(f"无法连接中心数据库,离线修改仍保留在本机,稍后再同步:{exc}")
            return EXIT_DB
        try:
            user = users.authenticate(central, username=args.user, password=password)
            done = sync.sync(laptop, central, user=user)
        except UserError as exc:
            _err(exc.message)
            return EXIT_USER
        finally:
            central.dispose()
        print(f"同步完成:上传 {done.sent} 项修改,其中 {done.conflicts} 项有冲突;离线借阅记录 {done.reads} 条;"
              f"取回中心变化 {done.pulled} 项")
        return EXIT_OK
    finally:
        laptop.dispose()


def _verify_draw(db, unit: str) -> int:
    """公证机选核验: the same order from the stored seed and the list as it is now."""
    from app.services.selection import catalog, draw

    found = catalog.find_commission(db, name=unit)
    if len(found) != 1:
        _err(f"找不到委建房单位“{unit}”" if not found else f"有 {len(found)} 个名为“{unit}”的委建房单位,无法确定核验哪一个")
        return EXIT_USER
    check = draw.verify_draw(db, commission_id=found[0])
    (print if check.ok else _err)(check.message)
    return EXIT_OK if check.ok else EXIT_USER


def _audit_event(db, project: str) -> int:
    """活动稽核: every finding on stderr, one a line; a clean event prints one line and exits 0."""
    from app.services.selection import event_audit

    found = event_audit.find_projects(db, project)
    if len(found) != 1:
        _err(f"找不到选房项目“{project}”" if not found else f"有 {len(found)} 个选房项目叫“{project}”,请用项目代码")
        return EXIT_USER
    findings = event_audit.audit_project(db, project_id=found[0][0])
    if findings:
        _err(f"{found[0][1]}:稽核发现 {len(findings)} 处问题")
        for line in findings:
            _err(line)
        return EXIT_USER
    print(f"{found[0][1]}:稽核通过,每位购房者的票、占房、收款与凭证相符,编号连续,防篡改链完整")
    return EXIT_OK


def _verify(path: Path) -> int:
    from app.services.backup_check import verify_backup

    try:
        info = verify_backup(path)
    except UserError as exc:
        _err(exc.message)
        return EXIT_USER
    print(f"备份文件可以恢复:{info.summary()}")
    return EXIT_OK


def _restore(db, args) -> int:
    from app.services import restore
    from app.services.backup_check import verify_backup

    info = verify_backup(args.file)
    print(f"备份内容:{info.summary()}")
    if not args.yes:
        where = f"新数据库 {args.into}" if args.into else f"当前数据库 {db.url}"
        try:
            answer = input(f"将用该备份替换{where}中的全部数据(当前数据会先另存一份)。输入 yes 继续:")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("yes", "y"):
            _err("已取消恢复,数据未改动")
            return EXIT_USER
    result = restore.restore(db, args.file, user=args.principal, into=args.into)
    print(f"恢复完成并已校验:{result.target}")
    if result.safety_copy:
        print(f"恢复前的数据已另存为:{result.safety_copy}")
    if info.older:
        print("备份来自较早版本,下次打开时会自动升级数据库结构")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
