"""Finance in the browser (issue 17, Finance): demo_finance uploads a GBK bank statement with a
split payment (one batch paid in two receipts), an amount off by ¥0.01 and an ambiguous pair (two
batches of the same payee and amount, one receipt without a reference); the report shows each
outcome; finance resolves the ambiguous receipt by hand with a note (refused first without one);
the report's totals and its CSV agree, and the payouts page and its CSV agree. A file with an
unreadable line is refused with the line listed by number. Other roles get the 403 page.

The four redemption batches are built through the JSON API (listing, campaign, grabs, orders,
delivery, batches, the approvals chain, transfers); their payee account is a new one of this run,
so no other test's batch can match or be a candidate of these receipts."""
import csv
import datetime
import io
import json
import os
import random
import tempfile
import urllib.request
import uuid
import zipfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser
import test_buy
from browser import ENTERPRISE, BrowserTest

FINANCE = ("demo_finance", "Finance#2026")
AUDITOR = ("demo_auditor", "Auditor#2026")
PROVIDER_NAME = "演示数字科技有限公司"
PAYER_NAME = "数字化转型专项资金专户"
PAYER_ACCOUNT = "11010101040012345"
# The statement's days: a period no other browser test records transfers in.
TRANSFER_DAY_A = "2026-10-05"
TRANSFER_DAY_C = "2026-10-06"


def raw(method, path, data, token, headers=None):
    """A raw-body request (uploads); answers (status, parsed body)."""
    request = urllib.request.Request(browser.BASE_URL + path, method=method, data=data)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/octet-stream")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
            return answer.status, json.loads(answer.read().decode() or "{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "{}")


def json_with_key(path, body, token):
    """A JSON POST with a fresh Idempotency-Key (orders require one)."""
    request = urllib.request.Request(browser.BASE_URL + path, method="POST", data=json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Idempotency-Key", uuid.uuid4().hex)
    try:
        with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
            return answer.status, json.loads(answer.read().decode() or "{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "{}")


def materials_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("contract.txt", "合同、发票、收据、价格证明")
    return buffer.getvalue()


def fen(text):
    """`¥1,500.00` or `1500.00` → 150000, by the digits (no floating point)."""
    digits = text.replace("¥", "").replace(",", "").strip()
    whole, _, cents = digits.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def yuan(amount_fen):
    return "%d.%02d" % (amount_fen // 100, amount_fen % 100)


class FinanceWorld:
    """Four transferred batches of demo_provider to one new payee account: A ¥3,000, B ¥2,400,
    C and D ¥1,500 each; each of one usage (the 30% deduction of a ¥10,000 order)."""

    def __init__(self, driver):
        self.driver = driver
        self.suffix = uuid.uuid4().hex[:6]
        self.operator = browser.api_token(*test_buy.OPERATOR)
        self.payments = browser.api_token(*test_buy.PAYMENTS)
        self.provider = browser.api_token(*test_buy.PROVIDER)
        self.enterprise = browser.api_token(*ENTERPRISE)
        self.auditor = browser.api_token(*AUDITOR)
        self.account = "622848" + "".join(random.choice("0123456789") for _ in range(13))
        self.campaign_name = "对账测试券 " + self.suffix

    def until(self, condition):
        return WebDriverWait(self.driver, browser.WAIT_S).until(lambda _: condition())

    def ok(self, answer, *statuses):
        status, body = answer
        assert status in (statuses or (200,)), (status, body)
        return body

    def vouchers(self, faces_fen):
        """Grabs one diagnostic voucher of each face value for demo_enterprise; waits until the
        claim sink stored them (GET /v1/vouchers/{id} answers)."""
        body = self.ok(browser.api("POST", "/v1/campaigns", {
            "name": self.campaign_name, "startsAt": "2026-01-01T09:00:00+08:00", "endsAt": "2030-01-01T09:00:00+08:00",
            "lots": [{"kind": "diagnostic", "faceValueFen": face, "stock": 5, "perEnterpriseLimit": 1, "mode": "grab",
                      "validityDays": 180} for face in faces_fen]}, token=self.operator), 201)
        self.ok(browser.api("POST", "/v1/campaigns/%s/publish" % body["id"], token=self.operator))
        ids = []
        for lot in body["lots"]:
            grabbed = self.ok(browser.api("POST", "/v1/campaigns/%s/lots/%s/grab" % (body["id"], lot["id"]), token=self.enterprise),
                              200, 201)
            ids.append(grabbed["voucherId"])
        for voucher in ids:
            self.until(lambda: browser.api("GET", "/v1/vouchers/" + voucher, token=self.enterprise)[0] == 200)
        return ids

    def completed_usage(self, product, spec, voucher):
        """An order of one ¥10,000 unit paid partly by `voucher`, approved, delivered and accepted;
        answers its usage id."""
        order = self.ok(json_with_key("/v1/orders", {"productId": product, "specId": spec, "quantity": 1, "voucherIds": [voucher]},
                                      self.enterprise), 201)
        self.ok(raw("POST", "/v1/orders/%s/proofs" % order["id"], test_buy.PIXEL_PNG, self.enterprise), 200, 201)
        payment = self.ok(browser.api("POST", "/v1/orders/%s/payment" % order["id"], token=self.enterprise))
        self.ok(browser.api("POST", "/v1/approvals/%s/approve" % payment["approvalId"], {}, token=self.payments))
        self.ok(browser.api("POST", "/v1/provider/orders/%s/deliver" % order["id"], token=self.provider))
        self.ok(browser.api("POST", "/v1/orders/%s/accept" % order["id"], token=self.enterprise))
        usages = self.ok(browser.api("GET", "/v1/provider/usages?pageSize=100&q=" + order["id"], token=self.provider))
        return next(item["id"] for item in usages["items"] if item["orderId"] == order["id"])

    def transferred_batch(self, usage, payee, day):
        """A batch of `usage` through auditor → operator → payments operator, its transfer recorded on `day`."""
        batch = self.ok(raw("POST", "/v1/redemption/batches?usageIds=%s&payeeAccountId=%s" % (usage, payee), materials_zip(),
                            self.provider), 201)
        for token in (self.auditor, self.operator, self.payments):
            self.ok(browser.api("POST", "/v1/approvals/%s/approve" % batch["approvalId"], {}, token=token))
        self.ok(browser.api("POST", "/v1/redemption/batches/%s/transfer" % batch["id"], {
            "amountFen": batch["totalFen"], "payerName": PAYER_NAME, "payerAccount": PAYER_ACCOUNT, "date": day,
            "bankSerial": "OP" + uuid.uuid4().hex[:10]}, token=self.operator))
        return batch

    def build(self):
        product = test_buy.listed_product("对账测试诊断 " + self.suffix, 1000000)
        spec = self.ok(browser.api("GET", "/v1/products/" + product, token=self.provider))["specs"][0]["id"]
        payee = self.ok(browser.api("POST", "/v1/provider/payee-accounts", {
            "bank": "ABC", "accountName": PROVIDER_NAME, "accountNumber": self.account}, token=self.provider), 201)["id"]
        vouchers = self.vouchers([300000, 240000, 150000, 150000])
        days = [TRANSFER_DAY_A, TRANSFER_DAY_A, TRANSFER_DAY_C, TRANSFER_DAY_C]
        self.batches = [self.transferred_batch(self.completed_usage(product, spec, voucher), payee, day)
                        for voucher, day in zip(vouchers, days)]
        assert [b["totalFen"] for b in self.batches] == [300000, 240000, 150000, 150000], self.batches
        return self

    def statement(self):
        """The GBK CSV: A paid in two receipts naming it, B paid ¥0.01 short naming it, one
        receipt of ¥1,500 naming no batch (C or D?), and a credit."""
        a, b = self.batches[0]["reference"], self.batches[1]["reference"]
        s = self.suffix
        rows = [
            "中国农业银行电子回单导出", "本方账号：" + PAYER_ACCOUNT, "起止日期：2026-10-01 至 2026-10-31",
            "交易日期,交易时间,流水号,借贷方向,金额,对方户名,对方账号,摘要",
            "%s,10:00:00,FA1%s,借,\"1,000.00\",%s,%s,服务券兑付 %s 第一笔" % (TRANSFER_DAY_A, s, PROVIDER_NAME, self.account, a),
            "%s,10:05:00,FA2%s,借,\"2,000.00\",%s,%s,服务券兑付 %s 第二笔" % (TRANSFER_DAY_A, s, PROVIDER_NAME, self.account, a),
            "%s,11:00:00,FB1%s,借,\"2,399.99\",%s,%s,服务券兑付 %s" % (TRANSFER_DAY_A, s, PROVIDER_NAME, self.account, b),
            "%s,09:30:00,FC1%s,借,\"1,500.00\",%s,%s,服务券兑付款" % (TRANSFER_DAY_C, s, PROVIDER_NAME, self.account),
            "%s,14:00:00,FR1%s,贷,500.00,某某科技有限公司,6222020200112233445,退回多付款" % (TRANSFER_DAY_C, s),
            "合计,,,,,,,",
        ]
        return ("\r\n".join(rows) + "\r\n").encode("gbk")

    @staticmethod
    def unreadable():
        """A statement whose line 5 has no amount a bank would print."""
        rows = [
            "中国农业银行电子回单导出", "本方账号：" + PAYER_ACCOUNT,
            "交易日期,交易时间,流水号,借贷方向,金额,对方户名,对方账号,摘要",
            "2026-10-07,10:00:00,BAD1%s,借,100.00,某公司,6222020200112233445,付款" % uuid.uuid4().hex[:6],
            "2026-10-07,10:00:00,BAD2%s,借,一百元,某公司,6222020200112233445,付款" % uuid.uuid4().hex[:6],
        ]
        return "\r\n".join(rows) + "\r\n"


class FinanceTests(BrowserTest):
    def session_get(self, path):
        """GET with this browser's session cookie (a download the page links to): (headers, bytes)."""
        cookie = self.driver.get_cookie("vr_session")
        request = urllib.request.Request(browser.BASE_URL + path)
        request.add_header("Cookie", "vr_session=" + cookie["value"])
        with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
            return answer.headers, answer.read()

    def screenshot_of(self, name, element_id):
        """Like `screenshot(name, phone=True)`, with the element scrolled into view at each width
        (the phone emulation starts at the top of the page)."""
        scroll = "document.getElementById(arguments[0]).scrollIntoView()"
        self.driver.execute_script(scroll, element_id)
        self.driver.save_screenshot(os.path.join(browser.SCREENSHOT_DIR, name + ".png"))
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
        try:
            overflow = self.driver.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")
            self.assertFalse(overflow, name + " scrolls sideways at 375 px")
            self.driver.execute_script(scroll, element_id)
            self.driver.save_screenshot(os.path.join(browser.SCREENSHOT_DIR, name + "-375.png"))
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def totals(self):
        """The report page's totals: {outcome: (count, fen)}."""
        result = {}
        for row in self.driver.find_elements(By.CSS_SELECTOR, "#report-totals tbody tr"):
            result[row.get_attribute("data-outcome")] = (
                int(row.find_element(By.CSS_SELECTOR, ".total-count").get_attribute("textContent")),
                fen(row.find_element(By.CSS_SELECTOR, ".total-amount").get_attribute("textContent")))
        return result

    def line_outcomes(self):
        return {row.get_attribute("data-serial"): row.get_attribute("data-outcome")
                for row in self.driver.find_elements(By.CSS_SELECTOR, "#report-lines tbody tr")}

    def test_statement_upload_report_manual_match_and_csv(self):
        """Proves the Must-show finance flow: the GBK statement's split payment matches, the ¥0.01
        short receipt is amount_mismatch, the receipt of the pair is ambiguous with both batches as
        candidates; 人工匹配 without a note is refused next to the note, with one it matches and the
        audit trail shows it; the report totals equal the CSV's sums per outcome; a file with an
        unreadable line is refused with that line's number (dropped onto the form, sent by script)."""
        world = FinanceWorld(self.driver).build()
        a, b, c, d = (batch["reference"] for batch in world.batches)
        s = world.suffix
        self.log_in(*FINANCE)
        self.click_and_load("#side-menu a[href='/workbench/finance/statements']")
        self.wait_for("#statement-form")

        # A refused file: dropped onto the zone (finance.js), sent with the progress bar, listed by line.
        self.wait_for("#drop-hint:not([hidden])")
        self.driver.execute_script("""
            var transfer = new DataTransfer();
            transfer.items.add(new File([arguments[0]], "bad-statement.csv", {type: "text/csv"}));
            var drop = new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true});
            document.getElementById("drop-zone").dispatchEvent(drop);""", FinanceWorld.unreadable())
        self.wait_for_text("#chosen-file", "bad-statement.csv")
        self.click_and_load("#statement-submit")
        self.wait_for("#line-problems")
        self.assertIn("整个文件未导入", self.text("#upload-error"))
        self.assertIn("第 5 行", self.text("#line-problems"))
        self.assertIn("金额无法识别", self.text("#line-problems"), "the reason in Chinese, from its code")
        self.screenshot("finance-upload-refused", phone=True)

        # The GBK statement through the file field.
        with tempfile.NamedTemporaryFile(suffix=".csv", prefix="abc-2026-10-", delete=False) as statement:
            statement.write(world.statement())
        try:
            self.driver.find_element(By.ID, "statement").send_keys(statement.name)
            self.click_and_load("#statement-submit")
            self.wait_for("#finance-report")
        finally:
            os.unlink(statement.name)
        self.assertIn("已导入", self.text("#report-notice"))
        self.assertEqual("2026-10-01 至 2026-10-31", self.text("#report-period"))
        statement_id = self.driver.current_url.split("/workbench/finance/statements/")[1].split("?")[0].split("/")[0]
        status, stored = browser.api("GET", "/v1/finance/statements/" + statement_id, token=browser.api_token(*FINANCE))
        self.assertEqual((200, "web"), (status, stored.get("source")), stored)
        outcomes = self.line_outcomes()
        self.assertEqual("matched", outcomes["FA1" + s])
        self.assertEqual("matched", outcomes["FA2" + s])
        self.assertEqual("amount_mismatch", outcomes["FB1" + s])
        self.assertEqual("ambiguous", outcomes["FC1" + s])
        self.assertEqual("not_payout", outcomes["FR1" + s])
        totals = self.totals()
        self.assertEqual((2, 300000), totals["matched"])
        self.assertEqual((1, 239999), totals["amount_mismatch"])
        self.assertEqual((1, 150000), totals["ambiguous"])
        unpaid = self.text("#unpaid-list")
        for reference in (b, c, d):
            self.assertIn(reference, unpaid)
        self.assertNotIn(a, unpaid)
        self.screenshot("finance-report", phone=True)

        # Filters: by outcome, by amount, by text.
        select = self.driver.find_element(By.ID, "outcome")
        select.find_element(By.CSS_SELECTOR, "option[value='ambiguous']").click()
        self.click_and_load("#report-filter-submit")
        self.wait_for("#report-lines")
        self.assertEqual({"FC1" + s: "ambiguous"}, self.line_outcomes())
        report_path = self.driver.current_url.split("?")[0].replace(browser.BASE_URL, "")
        self.open(report_path + "?amount=2399.99")
        self.wait_for("#report-lines")
        self.assertEqual({"FB1" + s: "amount_mismatch"}, self.line_outcomes())
        self.open(report_path + "?q=" + urllib.request.quote(a))
        self.wait_for("#report-lines")
        self.assertEqual({"FA1" + s, "FA2" + s}, set(self.line_outcomes()))
        self.open(report_path + "?amount=1.234")
        self.wait_for("#filter-error")

        # The ambiguous receipt, decided by hand: the candidates, a refusal without a note, then the match.
        self.open(report_path + "?outcome=ambiguous")
        self.click_and_load("#report-lines .line-link")
        self.wait_for("#match-form")
        candidates = self.text("#candidates")
        self.assertIn(c, candidates)
        self.assertIn(d, candidates)
        self.assertIn("待人工确认", self.text("#line-outcome"))
        self.driver.find_element(By.ID, "candidate-" + c).click()
        self.click_and_load("#match-submit")
        self.wait_for("#match-note-error")
        self.assertTrue(self.driver.find_element(By.ID, "candidate-" + c).is_selected())
        self.screenshot_of("finance-line-error", "line-match")
        self.driver.find_element(By.ID, "match-note").send_keys("付款通知书确认此笔支付 " + c)
        self.click_and_load("#match-submit")
        self.wait_for("#line-notice")
        self.assertEqual("matched", self.driver.find_element(By.ID, "line-outcome").get_attribute("data-outcome"))
        self.assertIn(c, self.text("#line-batch"))
        self.assertEqual("人工", self.text("#line-rule"))
        audit = self.text("#audit-list")
        self.assertIn("人工匹配", audit)
        self.assertIn("付款通知书确认此笔支付", audit)
        self.assertIn("demo_finance", audit)
        self.screenshot("finance-line", phone=True)

        # The report after the decision, and its CSV: the same counts and sums per outcome.
        self.click_and_load("#back-to-report")
        self.wait_for("#report-totals")
        totals = self.totals()
        self.assertEqual((3, 450000), totals["matched"])
        self.assertEqual((0, 0), totals["ambiguous"])
        self.assertNotIn(c, self.text("#unpaid-list"))
        headers, body = self.session_get(self.driver.find_element(By.ID, "report-csv").get_attribute("href").replace(browser.BASE_URL, ""))
        self.assertIn("text/csv", headers["Content-Type"])
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte-order mark")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        from_csv = {}
        for row in rows:
            count, amount = from_csv.get(row["outcome"], (0, 0))
            from_csv[row["outcome"]] = (count + 1, amount + fen(row["amount"]))
        for outcome, (count, amount) in totals.items():
            self.assertEqual((count, amount), from_csv.get(outcome, (0, 0)), outcome)
        self.assertEqual("1500.00", next(row["amount"] for row in rows if row["serial"] == "FC1" + s))

        # The ¥0.01-short receipt: 取消匹配 by hand (no batch, out of automatic matching), then
        # 交回自动对账, which matches it again as before; both in the audit trail.
        self.open(report_path + "?q=FB1" + s)
        self.click_and_load("#report-lines .line-link")
        self.wait_for("#unmatch-form")
        self.assertFalse(self.driver.find_elements(By.ID, "release-form"))
        self.driver.find_element(By.ID, "unmatch-note").send_keys("核实为其他款项，暂不对应批次")
        self.click_and_load("#unmatch-submit")
        self.wait_for("#line-notice")
        self.assertEqual("no_batch", self.driver.find_element(By.ID, "line-outcome").get_attribute("data-outcome"))
        self.click_and_load("#release-submit")
        self.wait_for("#release-note-error")
        self.driver.find_element(By.ID, "release-note").send_keys("付款通知书核实，交回自动对账")
        self.click_and_load("#release-submit")
        self.wait_for("#line-notice")
        self.assertEqual("amount_mismatch", self.driver.find_element(By.ID, "line-outcome").get_attribute("data-outcome"))
        self.assertIn(b, self.text("#line-batch"))
        audit = self.text("#audit-list")
        self.assertIn("人工取消匹配", audit)
        self.assertIn("交回自动对账", audit)

        # 兑付汇总: batch A confirmed by its provider is paid out; the page and its CSV agree.
        self.ok_confirm(world, world.batches[0])
        china = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
        self.open("/workbench/finance/payouts?from=2026-10&to=%04d-%02d" % (china.year, china.month))
        self.wait_for("#finance-payouts")
        row = self.driver.find_element(By.XPATH, "//table[@id='payout-list']//tr[td[text()='%s']]" % world.campaign_name)
        self.assertEqual("¥3,000.00", row.find_element(By.CSS_SELECTOR, ".payout-amount").text)
        self.assertIn(d, self.text("#unpaid-list"))
        bars = {(bar.get_attribute("data-day"), bar.get_attribute("data-kind")): int(bar.get_attribute("data-fen"))
                for bar in self.driver.find_elements(By.CSS_SELECTOR, "#daily-chart rect.bar")}
        self.assertGreaterEqual(bars[(TRANSFER_DAY_A, "matched")], 300000)
        self.assertGreaterEqual(bars[(TRANSFER_DAY_A, "open")], 239999)
        self.assertGreaterEqual(bars[(TRANSFER_DAY_C, "matched")], 150000)
        page_total = fen(self.text("#payout-total"))
        self.screenshot("finance-payouts", phone=True)
        self.screenshot_of("finance-chart", "reconciliation-chart")
        _, body = self.session_get(self.driver.find_element(By.ID, "payouts-csv").get_attribute("href").replace(browser.BASE_URL, ""))
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        mine = next(r for r in rows if r["campaign_name"] == world.campaign_name)
        self.assertEqual(("3000.00", "1", PROVIDER_NAME), (mine["redeemed"], mine["usage_count"], mine["provider_name"]))
        self.assertEqual("合计", rows[-1]["provider_name"])
        self.assertEqual(page_total, fen(rows[-1]["redeemed"]))
        self.assertEqual(page_total, sum(fen(r["redeemed"]) for r in rows[:-1]))

        # The statements list links the report.
        self.click_and_load("#side-menu a[href='/workbench/finance/statements']")
        self.wait_for("#statement-list")
        self.assertIn("abc-2026-10-", self.text("#statement-list"))
        self.screenshot("finance-statements", phone=True)

    def ok_confirm(self, world, batch):
        status, body = browser.api("POST", "/v1/redemption/batches/%s/confirm" % batch["id"], {
            "payerName": PAYER_NAME, "payerAccount": PAYER_ACCOUNT, "amountFen": batch["totalFen"]}, token=world.provider)
        self.assertEqual(200, status, body)

    def test_finance_pages_refuse_other_roles(self):
        """Proves the finance pages are finance's only: the enterprise and the provider get the 403
        page and no 对账管理 in their menu; for finance an unknown statement or line is the 404
        page and a malformed id the 400 page."""
        for account in (ENTERPRISE, test_buy.PROVIDER):
            self.driver.delete_all_cookies()
            self.log_in(*account)
            self.assertFalse(self.driver.find_elements(By.CSS_SELECTOR, "#side-menu a[href='/workbench/finance/statements']"))
            for path in ("/workbench/finance/statements", "/workbench/finance/payouts", "/workbench/finance/payouts.csv"):
                self.open(path)
                self.wait_for(".error-page")
                self.assertIn("无权访问", self.text("h1"), path)
        # Finance itself: an unknown statement or line is the 404 page, a malformed id the 400 page.
        self.driver.delete_all_cookies()
        self.log_in(*FINANCE)
        for path, heading in (("/workbench/finance/statements/st_00000000000000000000000000", "页面不存在"),
                              ("/workbench/finance/statement-lines/sl_00000000000000000000000000", "页面不存在"),
                              ("/workbench/finance/statements/garbage", "请求无效")):
            self.open(path)
            self.wait_for(".error-page")
            self.assertIn(heading, self.text("h1"), path)
