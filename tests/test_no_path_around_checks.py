"""No path around the confidentiality checks (保密): read from the source, so a new function or a new
call that forgets the user fails here before it ships.

1. Every public function of a service module that touches customer data takes the acting user
   (`user`, or `by` for administration), or is on the allow-list below with the reason.
2. Every call from the window (ui/) and the command line (app/cli.py) to a service function that takes
   a user passes one.
"""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# tables that hold customer data, or the history of it
CUSTOMER_MODELS = {"Customer", "KeyPerson", "KeyPersonRelation", "ArchiveEntry", "BlacklistEntry", "AuditRecord",
                   "ReadLog", "AccessRequest", "CustomerContact", "AdvancementApplication", "AdvancementEvent",
                   "RelationEvaluation", "KeyCustomerPlan", "StrategyEntry"}
# modules that carry customer data without importing those tables themselves
ALSO_CUSTOMER_DATA = {"card_print", "read_log_export", "backup", "restore", "backup_schedule"}
# generated demo data: written by the system, never read back out
NOT_CUSTOMER_FACING = {"demo", "demo_rows", "demo_draws", "demo_names", "demo_users", "demo_selection", "demo_reception",
                      "demo_areas", "demo_visits", "demo_grading_tables", "demo_sales", "demo_credit"}

ALLOWED_WITHOUT_USER = {
    # helpers that run inside the caller's (checked) transaction or touch no database
    "admin_guard.lock", "admin_guard.active_admins", "admin_guard.ensure_admin_remains",
    "admin_guard.role_entity_id", "admin_guard.record", "audit.as_text", "audit.changes", "audit.record",
    "audit.rows_for",
    "customer_import_rows.readers", "customer_import_rows.map_headers", "customer_import_rows.missing_required",
    "customer_import_rows.read_row", "read_log_export.as_cells", "customers.normalise", "customers.amount_text", "customer_search.as_uuid",
    "key_persons.age_on", "customer_export.columns", "backup.pg_tool", "backup.pg_args", "backup.extension",
    "backup_schedule.directory", "backup_schedule.last_run", "backup_schedule.prune",
    # reads an Excel file the user chose, before anything reaches the database
    "customer_import.preview", "sales.preview_sales",
    # writes the empty sales workbook (column names and an example row): no database
    "sales.write_sales_template",
    # duplicate detection while creating a card (DOMAIN: 查重): it must see every card, and shows only the
    # code and name of one that matches what the user has just typed
    "customers.find_duplicates",
    # the advancement-status label and the period check of the strategy tables: no database
    "advancement.value_label", "grading_tables.check_period",
    # SQL pieces of the contact-staff rule (联系人员) used inside the list's checked query, and the merge
    # helper that runs inside merge_customers' checked transaction
    "customer_contacts.counted_sql", "customer_contacts.important_condition",
    "customer_contacts.short_condition", "customer_contacts.move_on_merge",
    "customer_contacts.move_on_hand_over",  # inside staff.hand_over, which checks customer.handover
    # the SQL of a grading run's aggregate, executed inside compute_run's checked transaction (and by the bench)
    "grading_sql.figures_query",
    # the printed name of a grade's band (A级(销售额所占比例90%以上)): no data
    "grading_output.band_label",
    # the late-payment notice runs inside add_payment's / check_late_payments' checked transaction
    "grade_policy.notice_in",
    # the region names for the list's filter box: no customer is named
    "customer_search.distinct_regions",
    # staff and departments are not customer data (hand_over, which moves customers, takes the user)
    "staff.add_department", "staff.add_staff", "staff.departments", "staff.list_staff",
    # the monthly backup runs as the system (timer, Windows task); `backup-due --user` checks backup.run
    "backup_schedule.run_scheduled",
    # logging in and the role list come before there is a user
    "users.hash_password", "users.needs_first_admin", "users.authenticate", "users.roles",
    "users.system_principal",
    # demo data is made by the system on a new database (the CLI's `demo --user` checks customer.import)
    "demo_selection.id_number", "demo_selection.generate_event",
    # the visit calendar's time zone (a setting): no customer data
    "visits.calendar_zone",
    # the kept grades (approved advancements, customers without sales) written inside commit_run's checked
    # transaction; the inquiry figures are sums over rows the user's checked list already returned
    "grading_holds.apply", "inquiries.figures",
    # the blacklist's criteria (a setting): no customer data
    "blacklist.criteria",
    # the merge's pieces: the foreign keys of the metadata, and the steps that run inside merge_customers'
    # checked transaction (both cards checked and logged as edits first)
    "customer_merge.customer_references", "customer_merge.move_references", "customer_merge.check_not_self",
    "customer_merge.live_pair",
}


# calls from the window or the command line that rightly pass no user (file and call, without the line)
CALLS_WITHOUT_USER = {
    # the first-start wizard creates the first administrator: there is no user yet, and the service
    # refuses once any user exists
    "ui/login_dialog.py users.create_user",
}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _customer_modules() -> list[str]:
    out = []
    for path in sorted((ROOT / "app" / "services").glob("*.py")):
        name = path.stem
        if name.startswith("_") or name in NOT_CUSTOMER_FACING:
            continue
        imported = {a.name for n in ast.walk(_tree(path)) if isinstance(n, ast.ImportFrom)
                    and (n.module or "").startswith("models") for a in n.names}
        if imported & CUSTOMER_MODELS or name in ALSO_CUSTOMER_DATA:
            out.append(name)
    return out


def _public_functions(module: str):
    mod = importlib.import_module(f"app.services.{module}")
    for name, fn in vars(mod).items():
        if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == mod.__name__:
            yield name, fn


def test_the_customer_data_modules_are_found():
    modules = _customer_modules()
    assert {"key_persons", "archive", "blacklist", "audit", "customers", "customer_search", "customer_export",
            "card_print", "access", "borrowing"} <= set(modules)


def test_every_public_service_function_on_customer_data_takes_the_user():
    missing = [f"{m}.{name}" for m in _customer_modules() for name, fn in _public_functions(m)
               if not {"user", "by"} & set(inspect.signature(fn).parameters)
               and f"{m}.{name}" not in ALLOWED_WITHOUT_USER]
    assert missing == [], "take the acting user, or add to ALLOWED_WITHOUT_USER with the reason"


def test_the_allow_list_names_only_functions_that_exist_and_take_no_user():
    stale = []
    for entry in ALLOWED_WITHOUT_USER:
        module, name = entry.split(".")
        fn = getattr(importlib.import_module(f"app.services.{module}"), name, None)
        if fn is None or {"user", "by"} & set(inspect.signature(fn).parameters):
            stale.append(entry)
    assert stale == []


def _service_aliases(tree: ast.Module) -> dict[str, object]:
    """Local name → the service module or function it stands for, from the file's imports."""
    names: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "app.services":
            for a in node.names:
                names[a.asname or a.name] = importlib.import_module(f"app.services.{a.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app.services."):
            mod = importlib.import_module(node.module)
            for a in node.names:
                names[a.asname or a.name] = getattr(mod, a.name, None)
    return names


def _calls_without_user(path: Path, root: Path = ROOT) -> list[str]:
    tree = _tree(path)
    names = _service_aliases(tree)
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and inspect.ismodule(names.get(f.value.id)):
            target, label = getattr(names[f.value.id], f.attr, None), f"{f.value.id}.{f.attr}"
        elif isinstance(f, ast.Name):
            target, label = names.get(f.id), f.id
        else:
            continue
        if not inspect.isfunction(target):
            continue
        params = inspect.signature(target).parameters
        wanted = "user" if "user" in params else "by" if "by" in params else None
        passed = {k.arg for k in node.keywords}
        positional = wanted and list(params).index(wanted) < len(node.args)
        if wanted and wanted not in passed and not positional and None not in passed:  # None: **kwargs
            out.append(f"{path.relative_to(root).as_posix()}:{node.lineno} {label}")
    return out


def test_the_window_and_the_command_line_pass_the_user_to_every_service_that_takes_one():
    files = sorted((ROOT / "ui").rglob("*.py")) + [ROOT / "app" / "cli.py"]
    missing = [c for path in files for c in _calls_without_user(path)
               if "{} {}".format(c.split(":")[0], c.split(" ")[1]) not in CALLS_WITHOUT_USER]
    assert missing == []


def test_the_call_check_sees_a_forgotten_user(tmp_path):
    sample = tmp_path / "panel.py"
    sample.write_text("from app.services import key_persons\nfrom app.services.audit import history\n"
                      "def f(db, cid, user):\n    key_persons.list_persons(db, customer_id=cid, user=user)\n"
                      "    key_persons.list_relations(db, customer_id=cid)\n"
                      "    return history(db, customer_id=cid)\n", encoding="utf-8")
    assert _calls_without_user(sample, tmp_path) == ["panel.py:5 key_persons.list_relations", "panel.py:6 history"]
