"""`python -m app checkout` and `python -m app sync` as a field user runs them."""
from __future__ import annotations

from app.cli import EXIT_OK, EXIT_USAGE, EXIT_USER, main
from app.services import customers
from app.services.offline import checkout
from tests.services.offline.conftest import PASSWORD, new_customer


def test_checkout_then_sync_from_the_command_line(db, field, tmp_path, monkeypatch, capsys):
    cid = new_customer(db, "命令行测试有限公司", region="华东")
    path = tmp_path / "cli.kedesk"
    monkeypatch.setenv("KEDESK_PASSWORD", PASSWORD)
    assert main(["--db", db.url if db.dialect == "sqlite" else db.engine.url.render_as_string(hide_password=False),
                 "--user", "zhang", "checkout", "--device", "外勤本", "--file", str(path)]) == EXIT_OK
    assert "已检出 1 个客户" in capsys.readouterr().out
    laptop = checkout.open_replica(path, PASSWORD)
    customers.update_customer(laptop, actor="张", customer_id=cid, values={"region": "西北"}, user=field)
    laptop.dispose()
    assert main(["--user", "zhang", "sync", "--file", str(path)]) == EXIT_OK
    assert "上传 1 项修改,其中 0 项有冲突" in capsys.readouterr().out
    assert customers.get_card(db, customer_id=cid).values["region"] == "西北"

    monkeypatch.setenv("KEDESK_PASSWORD", "wrong-password")
    assert main(["--user", "zhang", "sync", "--file", str(path)]) == EXIT_USER
    assert "密码不正确" in capsys.readouterr().err
    assert main(["sync", "--file", str(path)]) == EXIT_USAGE
