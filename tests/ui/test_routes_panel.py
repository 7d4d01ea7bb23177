"""路线规划 panel: pick a rep, tick the day's customers, order the route — the list shows the new order, the
distance and the time; invalid customers cannot be ticked."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app import settings
from app.services import areas, customers, staff
from app.services.users import system_principal
from ui.visits.routes_panel import RoutesPanel

# listed 硚口, 江岸, 江汉: from the office (the Wuhan centre, by 江岸) the route goes 江岸 → 江汉 → 硚口
STOPS = (("硚口机械有限公司", "湖北省武汉市硚口区建设路55号", "deal"),
         ("江岸物流有限公司", "湖北省武汉市江岸区人民路12号", "deal"),
         ("江汉商贸有限公司", "湖北省武汉市江汉区解放路8号", "intent"),
         ("洪山建材有限公司", "湖北省武汉市洪山区光明路3号", "lost"))


def _panel(ctx, qtbot):
    ctx.user = system_principal("王丽")
    rep = next(p.id for p in staff.list_staff(ctx.db) if p.name == "李强")
    for name, address, status in STOPS:
        customers.create_customer(ctx.db, actor="测试", values={"name": name, "address": address, "status": status,
                                                              "owner_id": rep, "region": "华中",
                                                              "lost_reason": "转向竞争对手" if status == "lost" else ""})
    areas.fill_locations(ctx.db, user=ctx.user)
    panel = RoutesPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1100, 640)
    panel.rep_box.setCurrentIndex(panel.rep_box.findText("李强"))
    panel._scope_changed(panel.rep_box)
    return panel


def test_ordering_a_route_shows_the_new_order_distance_and_time(ctx, qtbot):
    panel = _panel(ctx, qtbot)
    assert panel.list.count() == 4
    lost = next(panel.list.item(i) for i in range(4) if "洪山" in panel.list.item(i).text())
    assert "流失客户" in lost.text() and not lost.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert "3 ticked" not in panel.count.text()

    panel.order_button.click()
    assert "Tick at least one" in panel.error.text()

    settings.put(ctx.db, "routes.return_to_office", 0)
    panel.all_button.click()
    assert panel.ticked() and len(panel.ticked()) == 3
    panel.order_button.click()
    lines = [panel.order_list.item(i).text() for i in range(panel.order_list.count())]
    assert [line.split(".")[1].split("(")[0].strip() for line in lines[:3]] == [
        "江岸物流有限公司", "江汉商贸有限公司", "硚口机械有限公司"]
    assert len(lines) == 3 and "shorter than the order ticked" in panel.summary.text()
    route = panel.route
    assert f"{route.distance_km:.1f} km" in panel.summary.text() and "3 stops" in panel.summary.text()
    assert "小时" in panel.summary.text() or "分" in panel.summary.text()
    assert panel.map.stops == 3

    settings.put(ctx.db, "routes.return_to_office", 1)
    panel.order_button.click()
    assert panel.order_list.item(3).text().startswith("Back to the office")


def test_the_address_table_lists_the_rep_s_customers_with_the_reason_for_invalid_ones(ctx, qtbot, previewed):
    panel = _panel(ctx, qtbot)
    shown = previewed
    panel.address_button.click()
    assert shown["title"] == "客户地址分类表" and shown["pdf"].startswith(b"%PDF")


def test_areas_dialog_refuses_an_overlap_in_place_and_keeps_the_ticks(ctx, qtbot):
    from ui.visits.routes_dialogs import AreasDialog

    ctx.user = system_principal("经理")
    dialog = AreasDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.name.editor.setText("江北片区")
    dialog.tick(["420102", "420103"])
    dialog.save_button.click()
    assert dialog.areas_list.count() == 1 and dialog.current is not None
    dialog.new_area()
    dialog.name.editor.setText("武汉全市")
    dialog.tick(["420100"])
    dialog.save_button.click()
    assert "拜访区域不能重叠" in dialog.places.error.text() and "江北片区" in dialog.places.error.text()
    assert dialog.ticked() == ["420100"] and dialog.name.value() == "武汉全市"
    assert dialog.areas_list.count() == 1


def test_typed_coordinates_are_checked_in_place(ctx, qtbot):
    from ui.visits.routes_dialogs import LocationDialog

    panel = _panel(ctx, qtbot)
    customer = panel.customers[0]
    dialog = LocationDialog(ctx, customer)
    qtbot.addWidget(dialog)
    dialog.lat.editor.setText("114.2")
    dialog.lon.editor.setText("30.58")
    dialog.save()
    assert "填反" in dialog.lat.error.text() and dialog.lat.value() == "114.2"
    dialog.lat.editor.setText("30.58")
    dialog.lon.editor.setText("114.2")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert areas.location(ctx.db, customer_id=customer.id, user=ctx.user).source == "entered"


def test_a_stop_whose_unsuitable_times_fall_on_the_day_is_flagged_and_ticks_survive_a_new_day(ctx, qtbot):
    panel = _panel(ctx, qtbot)
    jiangan = next(c for c in panel.customers if c.name.startswith("江岸"))
    customers.update_customer(ctx.db, actor="测试", customer_id=jiangan.id,
                              values={"unsuitable_visit_times": "周一上午"}, user=ctx.user)
    panel.load_customers()
    panel.all_button.click()
    panel.day.setText("2026-11-30")  # a Monday
    panel.day.editingFinished.emit()
    assert len(panel.ticked()) == 3
    row = next(panel.list.item(i).text() for i in range(panel.list.count()) if "江岸" in panel.list.item(i).text())
    assert "[not on this day: 周一上午]" in row
    panel.order_button.click()
    assert "1 of them should not be visited on 2026-11-30" in panel.summary.text()
    panel.day.setText("2026-12-01")
    panel.day.editingFinished.emit()
    panel.order_button.click()
    assert "should not be visited" not in panel.summary.text()


def test_the_reps_plans_of_the_day_become_the_ticked_route(ctx, qtbot):
    from datetime import date, datetime

    from app.services import visits

    panel = _panel(ctx, qtbot)
    rep = next(p.id for p in staff.list_staff(ctx.db) if p.name == "李强")
    by_name = {c.name: c.id for c in panel.customers}
    day = date(2026, 12, 3)
    for name, hour in (("江汉商贸有限公司", 9), ("硚口机械有限公司", 14)):
        visits.create_plan(ctx.db, user=ctx.user, actor="王丽", values={
            "customer_id": by_name[name], "staff_id": rep, "starts_at": datetime(2026, 12, 3, hour, 0),
            "ends_at": datetime(2026, 12, 3, hour + 1, 0), "purpose": "回访"})
    visits.create_plan(ctx.db, user=ctx.user, actor="王丽", values={  # another day: not on this route
        "customer_id": by_name["江岸物流有限公司"], "staff_id": rep, "starts_at": datetime(2026, 12, 4, 9, 0),
        "ends_at": datetime(2026, 12, 4, 10, 0), "purpose": "回访"})
    panel.day.setText(day.isoformat())
    panel.plans_button.click()
    assert sorted(panel.list.item(i).text().split()[1] for i in range(panel.list.count())) == [
        "江汉商贸有限公司", "硚口机械有限公司"]
    assert len(panel.ticked()) == 2
    panel.order_button.click()
    assert panel.map.stops == 2

    panel.day.setText("2026-12-05")
    panel.plans_button.click()
    assert panel.list.count() == 0 and "no planned visits on 2026-12-05" in panel.error.text()


def test_the_sales_analysis_table_prints_the_rep_s_customers_by_product(ctx, qtbot, previewed):
    import io
    from decimal import Decimal

    import pypdf

    from app.services import sales

    panel = _panel(ctx, qtbot)
    jiangan = next(c for c in panel.customers if c.name.startswith("江岸"))
    sales.add_sale(ctx.db, user=None, customer_id=jiangan.id, values={"year": 2026, "month": 3, "product": "PE管",
                                                                      "amount": "12345.60"})
    panel.day.setText("2026-12-01")
    panel.day.editingFinished.emit()
    panel.sales_button.click()
    assert previewed["title"] == "客户销售分析表"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(previewed["pdf"])).pages)
    assert "PE钢带增强管" in text and "江岸物流有限公司" in text and "12,345.60" in text
    _products, rows, total = panel.last_sales_table
    assert [r.customer for r in rows] == ["江岸物流有限公司"] and total.total == Decimal("12345.60")
