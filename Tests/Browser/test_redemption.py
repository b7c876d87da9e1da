"""Redemption in real browsers (guide §1.4.7 and §1.5, issue 17's Must-show flow): the demo provider
adds and edits a payee account in 收款账号管理, ticks a pending usage in 诊断服务券-兑付申请 (the usage
prepared through the JSON API: the demo enterprise grabs a diagnostic voucher and buys with it), uploads
the archive and files the batch; the auditor, the settlement operator and the payments operator each
approve it in their own browser session, seeing the batch's usages and archive on the approval page;
the operator records the transfer in 兑付转账; the provider confirms it, and the batch page shows
each step. 通用服务券-兑付申请 files a general batch from a placed order. Pages refuse the wrong role
(403 page) and another provider's batch (404 page).
Screenshots at desktop and 375 px."""
import json
import os
import random
import tempfile
import unittest
import urllib.request
import uuid

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser
from browser import ENTERPRISE, BrowserTest, api, api_token, new_driver, sms_code
from test_buy import (AUTHORITY, EXPERT, OPERATOR, PAYMENTS, PIXEL_PNG, PROVIDER, approve_payment, grabbed_diagnostic_voucher, listed_product,
                      upload)

AUDITOR = ("demo_auditor", "Auditor#2026")
PROVIDER_NAME = "演示数字科技有限公司"
# The smallest ZIP archive (an empty one: its end-of-central-directory record); checked by content.
EMPTY_ZIP = b"PK\x05\x06" + b"\x00" * 18


def placed_order(body, token):
    """POST /v1/orders with the Idempotency-Key that placing an order requires; answers the order."""
    request = urllib.request.Request(browser.BASE_URL + "/v1/orders", method="POST", data=json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Idempotency-Key", "redeem-" + uuid.uuid4().hex)
    with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
        assert answer.status == 201, answer.status
        return json.loads(answer.read().decode())


def wait_for_deduction(body, token):
    """Quotes `body` until a voucher deducts: the claim sink stores a grab in PostgreSQL on its own
    schedule (WebDriverWait polls; no sleep)."""
    def deducts(_):
        status, quote = api("POST", "/v1/orders/quote", body, token=token)
        return status == 200 and quote["deductionFen"] > 0

    WebDriverWait(None, browser.WAIT_S).until(deducts)


def completed_order_usage(unit_price_fen):
    """A completed order of a new demo_provider product bought by demo_enterprise with a diagnostic
    voucher (JSON API: grab, order, proof, payment approved, delivered, accepted); answers the
    pending usage of that order as the provider's usage list shows it."""
    product = listed_product("兑付测试商品 " + uuid.uuid4().hex[:6], unit_price_fen)
    grabbed_diagnostic_voucher(unit_price_fen * 30 // 100)
    enterprise = api_token(*ENTERPRISE)
    status, detail = api("GET", "/v1/products/" + product, token=enterprise)
    assert status == 200, detail
    body = {"productId": product, "specId": detail["specs"][0]["id"], "quantity": 1}
    wait_for_deduction(body, enterprise)
    order = placed_order(body, enterprise)
    proof = urllib.request.Request(browser.BASE_URL + "/v1/orders/%s/proofs" % order["id"], method="POST", data=PIXEL_PNG)
    proof.add_header("Authorization", "Bearer " + enterprise)
    proof.add_header("Content-Type", "application/octet-stream")
    with urllib.request.urlopen(proof, timeout=browser.WAIT_S) as answer:
        assert answer.status in (200, 201), answer.status
    status, paid = api("POST", "/v1/orders/%s/payment" % order["id"], token=enterprise)
    assert status == 200, paid
    approve_payment(order["id"])
    provider = api_token(*PROVIDER)
    status, body = api("POST", "/v1/provider/orders/%s/deliver" % order["id"], token=provider)
    assert status == 200, body
    status, body = api("POST", "/v1/orders/%s/accept" % order["id"], token=enterprise)
    assert status == 200, body
    status, usages = api("GET", "/v1/provider/usages?state=pending_redemption&pageSize=100&q=" + order["id"], token=provider)
    assert status == 200, usages
    return next(usage for usage in usages["items"] if usage["orderId"] == order["id"])


def listed_cloud_product_and_placed_order(unit_price_fen):
    """A 上云用云 product of demo_provider (listed through the chain), a general cloud voucher that
    demo_enterprise grabbed, and the enterprise's order of it placed with the voucher (JSON API);
    answers the order."""
    provider = api_token(*PROVIDER)
    image = upload("/v1/provider/product-files?kind=image", PIXEL_PNG, provider)["fileId"]
    name = "上云服务 " + uuid.uuid4().hex[:6]
    study = {"customer": "某制造企业", "annualOutputCentiWan": 123456, "salesCentiWan": 5000, "deliveryMonths": 3, "documentFileId": image}
    status, product = api("POST", "/v1/provider/products", {
        "name": name, "category": "cloud", "productNames": ["云主机"], "tags": ["上云"], "imageFileId": image,
        "solutionClasses": ["研发设计"], "industries": ["制造业"], "priceLowFen": 100000, "priceHighFen": 5000000,
        "deliveryCycleDays": 30, "personDays": 20, "caseStudies": [study, study, study], "contact": {"name": "张三", "phone": "13200000000"},
        "intro": {"bannerTitle": name, "bannerText": "上云用云", "bannerImageFileId": image, "highlights": ["一键上云"],
                  "description": "面向中小企业的上云服务。", "modules": [{"title": "方案", "text": "样例", "mediaFileIds": [image]}],
                  "afterSales": {"hours": "9:00-18:00", "scope": "远程支持", "hotline": "400-000-0000"}},
        "specs": [{"name": "标准版", "purchaseMode": "quantity", "pricing": "simple", "unitPriceFen": unit_price_fen}]}, token=provider)
    assert status == 201, product
    status, submitted = api("POST", "/v1/provider/products/%s/submit" % product["id"], token=provider)
    assert status == 200, submitted
    for account in (OPERATOR, EXPERT, AUTHORITY):
        status, body = api("POST", "/v1/approvals/%s/approve" % submitted["approvalId"], {}, token=api_token(*account))
        assert status == 200, body
    operator = api_token(*OPERATOR)
    status, campaign = api("POST", "/v1/campaigns", {
        "name": "通用服务券 · 兑付测试", "startsAt": "2026-01-01T09:00:00+08:00", "endsAt": "2030-01-01T09:00:00+08:00",
        "lots": [{"kind": "general", "direction": "cloud", "faceValueFen": unit_price_fen * 30 // 100, "stock": 10,
                  "perEnterpriseLimit": 1, "mode": "grab", "validityDays": 180}]}, token=operator)
    assert status == 201, campaign
    status, body = api("POST", "/v1/campaigns/%s/publish" % campaign["id"], token=operator)
    assert status == 200, body
    enterprise = api_token(*ENTERPRISE)
    status, body = api("POST", "/v1/campaigns/%s/lots/%s/grab" % (campaign["id"], campaign["lots"][0]["id"]), token=enterprise)
    assert status in (200, 201), body
    status, detail = api("GET", "/v1/products/" + product["id"], token=enterprise)
    assert status == 200, detail
    order_body = {"productId": product["id"], "specId": detail["specs"][0]["id"], "quantity": 1}
    wait_for_deduction(order_body, enterprise)
    return placed_order(order_body, enterprise)


def other_provider():
    """A second provider's main account, registered through the JSON API (its SMS code read from the
    server's log) and not certified: enough to open the batch pages as another organisation."""
    phone = "139%08d" % random.randrange(10 ** 8)
    username = "web_provider_" + uuid.uuid4().hex[:8]
    password = "Provider#2026x"
    status, body = api("POST", "/v1/registrations/sms", {"phone": phone})
    assert status in (200, 202), body
    code = WebDriverWait(None, browser.WAIT_S).until(lambda _: sms_code(phone))
    status, body = api("POST", "/v1/registrations", {
        "role": "provider", "username": username, "phone": phone, "password": password, "passwordConfirmation": password,
        "consent": True, "smsCode": code})
    assert status == 201, body
    return username, password


class RedemptionTests(BrowserTest):
    def setUp(self):
        super().setUp()
        self.others = []

    def tearDown(self):
        for driver in self.others:
            driver.quit()

    def until(self, condition, driver=None):
        return WebDriverWait(driver or self.driver, browser.WAIT_S, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException)).until(condition)

    def session(self, account):
        """A browser of its own, logged in as `account` (quit in tearDown)."""
        driver = new_driver()
        self.others.append(driver)
        driver.get(browser.BASE_URL + "/login")
        self.until(lambda d: d.find_element(By.ID, "login-form"), driver)
        driver.find_element(By.ID, "username").send_keys(account[0])
        driver.find_element(By.ID, "password").send_keys(account[1])
        driver.find_element(By.ID, "login-submit").click()
        self.until(lambda d: d.find_element(By.ID, "workbench-home"), driver)
        return driver

    def click_in(self, driver, target):
        """click_and_load for another browser of the test: clicks (an element or an id) and waits
        until that browser has left the page it was on."""
        element = driver.find_element(By.ID, target) if isinstance(target, str) else target
        before = driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(driver, browser.WAIT_S).until(EC.staleness_of(before))

    def approve_in(self, driver, approval_href, expect_subject=False):
        """Opens the approval page in `driver`, checks the batch subject, clicks 通过 and waits for the answer."""
        driver.get(browser.BASE_URL + approval_href)
        self.until(lambda d: d.find_element(By.ID, "decision-form"), driver)
        self.assertIn(self.reference, driver.find_element(By.ID, "subject-reference").text)
        self.assertEqual(self.total, driver.find_element(By.ID, "subject-total").text)
        if expect_subject:
            usages = driver.find_element(By.ID, "subject-usages").text
            self.assertIn(self.usage["voucherId"], usages)
            link = driver.find_element(By.CSS_SELECTOR, "#subject-files a.subject-file")
            self.assertTrue(link.get_attribute("href").endswith("/materials"))
            # The archive downloads for the reviewer (the session's cookie, not a JSON token).
            cookie = "; ".join("%s=%s" % (c["name"], c["value"]) for c in driver.get_cookies())
            request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
                self.assertEqual(EMPTY_ZIP, answer.read())
            driver.execute_script("document.getElementById('batch-subject').scrollIntoView()")
            self.screenshot_of(driver, "approval-batch")
        self.click_in(driver, "approve")
        self.until(lambda d: "已审批通过" in d.find_element(By.ID, "approval-notice").text, driver)

    def test_a_batch_goes_from_the_provider_through_the_chain_to_the_confirmed_transfer(self):
        """Proves issue 17's flow: payee account added (a bad number refused next to its field) and
        edited with its history kept; a usage ticked with the total shown, the archive uploaded and
        the batch filed; auditor → settlement → payment approvals in three browsers, each seeing the
        batch; the transfer recorded in 兑付转账; a wrong confirmation and a dispute without a reason
        refused next to their fields, a dispute without its CSRF field the 403 page, the right
        confirmation redeeming the batch; the batch page lists every step; another provider gets the
        404 page."""
        self.usage = completed_order_usage(1000000)
        self.log_in(*PROVIDER)

        # 收款账号管理: a bad number is refused next to its field, then added and edited.
        self.open("/workbench/payee-accounts")
        self.wait_for("#payee-form")
        number = "6228" + "".join(random.choice("0123456789") for _ in range(15))
        # The number first added, then edited into `number`: differs in its last digit.
        first = number[:-1] + ("1" if number.endswith("0") else "0")
        self.driver.find_element(By.ID, "accountName").send_keys(PROVIDER_NAME)
        self.driver.find_element(By.ID, "accountNumber").send_keys("12345")
        self.click_and_load("#payee-submit")
        self.wait_for("#accountNumber-error")
        self.screenshot("payee-accounts-error", phone=True)
        field = self.driver.find_element(By.ID, "accountNumber")
        field.clear()
        field.send_keys(first)
        self.click_and_load("#payee-submit")
        self.wait_for_text("#payee-notice", "已新增")
        row = self.driver.find_element(By.XPATH, "//table[@id='payee-list']//tr[td[text()='%s']]" % first)
        self.click_and_load(row.find_element(By.CSS_SELECTOR, "a.payee-edit"))
        self.wait_for("#payee-form")
        field = self.driver.find_element(By.ID, "accountNumber")
        field.clear()
        field.send_keys(number)
        self.click_and_load("#payee-submit")
        self.wait_for_text("#payee-notice", "已修改")
        self.assertEqual(number, self.text("#payee-number"))
        self.assertEqual("2", self.text("#payee-version"))
        self.assertIn(first, self.text("#payee-history"))
        self.screenshot("payee-account-edit", phone=True)
        self.open("/workbench/payee-accounts")
        self.wait_for("#payee-list")
        self.screenshot("payee-accounts", phone=True)

        # 诊断服务券-兑付申请: tick the usage (the total follows), 发起兑换, upload, choose the account, 确定.
        self.open("/workbench/redemption/new")
        self.wait_for("#usage-select[data-live='1']")
        self.driver.find_element(By.ID, "u-" + self.usage["id"]).click()
        self.total = "¥{:,}.{:02d}".format(self.usage["deductionFen"] // 100, self.usage["deductionFen"] % 100)
        self.wait_for_text("#selected-total", self.total)
        self.click_and_load("#start-redeem")
        self.wait_for("#redeem-form")
        self.assertEqual(self.total, self.text("#apply-total"))
        self.assertEqual("1", self.text("#apply-count"))
        with tempfile.NamedTemporaryFile(suffix=".zip", delete=False) as archive:
            archive.write(EMPTY_ZIP)
        try:
            self.driver.find_element(By.ID, "archive").send_keys(archive.name)
            Select(self.driver.find_element(By.ID, "payee")).select_by_visible_text("中国农业银行 %s %s" % (PROVIDER_NAME, number))
            self.driver.execute_script("document.getElementById('redeem-apply').scrollIntoView()")
            self.screenshot("redemption-new", phone=True)
            self.click_and_load("#redeem-submit")
        finally:
            os.unlink(archive.name)
        self.wait_for_text("#batch-notice", "兑换申请已提交")
        self.assertEqual("审核中", self.text("#batch-state"))
        self.assertEqual(self.total, self.text("#batch-total"))
        self.assertEqual(number, self.text("#batch-payee"))
        self.reference = self.text("#batch-reference")
        batch_url = self.driver.current_url.split("?")[0]
        approval_href = self.driver.find_element(By.ID, "batch-approval-link").get_attribute("href").replace(browser.BASE_URL, "")

        # Auditor → operator (settlement) → demo_payments (payment), each in its own browser.
        self.approve_in(self.session(AUDITOR), approval_href, expect_subject=True)
        self.approve_in(self.session(OPERATOR), approval_href)
        self.approve_in(self.session(PAYMENTS), approval_href)

        # 兑付转账: the operator finds the batch and records the transfer.
        operator = self.others[1]
        operator.get(browser.BASE_URL + "/workbench/transfers")
        row = self.until(lambda d: d.find_element(By.XPATH, "//table[@id='transfer-list']//tr[td[text()='%s']]" % self.reference), operator)
        self.screenshot_of(operator, "transfers")
        self.click_in(operator, row.find_element(By.CSS_SELECTOR, "a.batch-link"))
        self.until(lambda d: d.find_element(By.ID, "transfer-form"), operator)
        self.assertEqual(self.total.replace("¥", "").replace(",", ""), operator.find_element(By.ID, "amount").get_attribute("value"))
        for field, value in (("payerName", "专项资金专户"), ("payerAccount", "11010101040012345"), ("bankSerial", "ABC" + uuid.uuid4().hex[:8])):
            operator.find_element(By.ID, field).send_keys(value)
        operator.execute_script("document.getElementById('date').value = '2026-12-01'")
        self.click_in(operator, "transfer-submit")
        self.until(lambda d: "转账已登记" in d.find_element(By.ID, "batch-notice").text, operator)

        # 支付确认: a wrong amount is refused; the recorded details redeem the batch.
        self.driver.get(batch_url)
        self.wait_for("#confirm-form")
        self.assertEqual("专项资金专户", self.text("#transfer-payer"))
        self.driver.find_element(By.ID, "payerName").send_keys("专项资金专户")
        self.driver.find_element(By.ID, "payerAccount").send_keys("11010101040012345")
        self.driver.find_element(By.ID, "amount").send_keys("1.00")
        self.click_and_load("#confirm-submit")
        self.wait_for("#confirm-error")
        self.driver.execute_script("document.getElementById('confirm-section').scrollIntoView()")
        self.screenshot("redemption-confirm", phone=True)
        # 提出异议 without a reason is refused next to it; with one but without the CSRF field it is the
        # 403 page; neither changes the batch.
        self.click_and_load("#dispute-submit")
        self.wait_for("#dispute-reason-error")
        self.driver.find_element(By.ID, "dispute-reason").send_keys("未收到款项")
        self.driver.execute_script("document.querySelector(\"#dispute-form input[name='csrf']\").remove()")
        self.click_and_load("#dispute-submit")
        self.wait_for(".error-page")
        self.assertIn("无权访问", self.text("h1"))
        self.driver.get(batch_url)
        self.wait_for("#confirm-form")
        self.assertEqual("待支付确认", self.text("#batch-state"))
        self.driver.find_element(By.ID, "payerName").send_keys("专项资金专户")
        self.driver.find_element(By.ID, "payerAccount").send_keys("11010101040012345")
        amount = self.driver.find_element(By.ID, "amount")
        amount.clear()
        amount.send_keys(self.total.replace("¥", "").replace(",", ""))
        self.click_and_load("#confirm-submit")
        self.wait_for_text("#batch-notice", "已确认收款")
        self.assertEqual("已兑付", self.text("#batch-state"))
        steps = self.text("#step-list")
        for expected in ("提交兑换申请", "第三方机构审核", "demo_auditor", "结算审批", "operator", "支付审批", "demo_payments", "已转账",
                         "已确认收款"):
            self.assertIn(expected, steps)
        self.assertIn("已兑换", self.text("#batch-usages"))
        self.screenshot("redemption-batch", phone=True)
        self.open("/workbench/redemption")
        row = self.wait_for("#batch-list")
        self.assertIn(self.reference, row.text)
        self.screenshot("redemptions", phone=True)

        # Another provider: the batch page and its archive are the 404 page.
        stranger = self.session(other_provider())
        for path in (batch_url, batch_url + "/materials"):
            stranger.get(path)
            self.until(lambda d: d.find_element(By.CSS_SELECTOR, ".error-page"), stranger)
            self.assertIn("页面不存在", stranger.find_element(By.TAG_NAME, "h1").text)

    def screenshot_of(self, driver, name):
        """The screenshot helper of BrowserTest, for another browser of the test."""
        mine = self.driver
        self.driver = driver
        try:
            self.screenshot(name, phone=True)
        finally:
            self.driver = mine

    def test_a_general_voucher_redemption_is_filed_from_a_placed_order(self):
        """Proves 通用服务券-兑付申请: from a placed order (?order=), a filing without materials is refused
        next to the field, then with the enterprise, direction, payee account and ten PNGs (as many as
        the JSON route takes) it becomes a general batch waiting for the operator's approval, its
        materials downloadable."""
        order = listed_cloud_product_and_placed_order(500000)
        number = "6228" + "".join(random.choice("0123456789") for _ in range(15))
        status, payee = api("POST", "/v1/provider/payee-accounts", {"bank": "ABC", "accountName": PROVIDER_NAME, "accountNumber": number},
                            token=api_token(*PROVIDER))
        self.assertEqual(201, status, payee)
        self.log_in(*PROVIDER)
        self.open("/workbench/redemption/general?order=" + order["id"])
        self.wait_for("#general-form")
        self.assertEqual(order["id"], self.driver.find_element(By.ID, "orderId").get_attribute("value"))
        self.driver.find_element(By.ID, "enterpriseName").send_keys("演示制造有限公司")
        Select(self.driver.find_element(By.ID, "direction")).select_by_value("cloud")
        Select(self.driver.find_element(By.ID, "payee")).select_by_value(payee["id"])
        self.click_and_load("#general-submit")
        self.wait_for("#materials-error")
        self.assertEqual("cloud", Select(self.driver.find_element(By.ID, "direction")).first_selected_option.get_attribute("value"))
        self.screenshot("redemption-general", phone=True)
        materials = []
        for number in range(10):
            with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as material:
                material.write(PIXEL_PNG + bytes([number]))  # ten different files
            materials.append(material.name)
        try:
            self.driver.find_element(By.ID, "materials").send_keys("\n".join(materials))
            Select(self.driver.find_element(By.ID, "payee")).select_by_value(payee["id"])
            self.click_and_load("#general-submit")
        finally:
            for name in materials:
                os.unlink(name)
        self.wait_for_text("#batch-notice", "兑换申请已提交")
        self.assertEqual("审核中", self.text("#batch-state"))
        self.assertIn("通用服务券", self.text("#batch-detail"))
        self.assertIn(order["id"], self.text("#batch-detail"))
        steps = self.text("#step-list")
        self.assertIn("运营审批", steps)
        self.assertIn("待审批", steps)
        files = [link.get_attribute("href") for link in self.driver.find_elements(By.CSS_SELECTOR, "#batch-files a.batch-file")]
        self.assertEqual(10, len(files), files)
        self.assertTrue(files[0].endswith("/files/0") and files[9].endswith("/files/9"), files)

    def test_redemption_pages_refuse_the_wrong_role(self):
        """Proves the enterprise gets the 403 page for the provider's redemption and payee pages and
        the operator's 兑付转账, and the provider for 兑付转账; no menu lists them for it."""
        self.log_in(*ENTERPRISE)
        for path in ("/workbench/redemption/new", "/workbench/redemption", "/workbench/payee-accounts", "/workbench/transfers",
                     "/workbench/redemption/general"):
            self.open(path)
            self.wait_for(".error-page")
            self.assertIn("无权访问", self.text("h1"))
        self.assertNotIn("兑付", self.text(".side-menu"))
        self.screenshot("redemption-forbidden", phone=True)
        self.driver.delete_all_cookies()
        self.log_in(*PROVIDER)
        self.open("/workbench/transfers")
        self.wait_for(".error-page")
        self.assertIn("无权访问", self.text("h1"))


if __name__ == "__main__":
    unittest.main()
