"""商品购买 end to end in a real browser (guide §2.4.7 and §2.4.4, issue 16's Must-show flow): the
demo enterprise opens a ¥50,000 product, the purchase page shows the ¥15,000 deduction (the 30%
cap) and ¥35,000 payable before it confirms, uploads a payment proof and confirms the payment;
the payments operator approves and the provider delivers through the JSON API; the enterprise
accepts the delivery and writes a review in 我的评价. Screenshots at desktop and 375 px."""
import base64
import os
import tempfile
import unittest
import urllib.request
import uuid

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser
from browser import ENTERPRISE, BrowserTest

OPERATOR = ("operator", "Platform#2026")
PAYMENTS = ("demo_payments", "Payments#2026")
PROVIDER = ("demo_provider", "Provider#2026")
EXPERT = ("demo_expert", "Expert#2026")
AUTHORITY = ("demo_authority", "Authority#2026")
# A 1×1 PNG: a product image, and the payment proof the browser uploads.
PIXEL_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def upload(path, data, token):
    """A file sent as the raw body (the JSON API's uploads); answers the parsed answer."""
    request = urllib.request.Request(browser.BASE_URL + path, method="POST", data=data)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/octet-stream")
    with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
        assert answer.status == 201, answer.status
        return __import__("json").loads(answer.read().decode())


def listed_product(name, unit_price_fen):
    """A 诊断咨询 product of demo_provider with one spec at `unit_price_fen`, listed through the
    approvals chain (operator → expert → authority) of the JSON API; answers its id."""
    provider = browser.api_token(*PROVIDER)
    image = upload("/v1/provider/product-files?kind=image", PIXEL_PNG, provider)["fileId"]
    document = upload("/v1/provider/product-files?kind=document", PIXEL_PNG, provider)["fileId"]
    study = {"customer": "某制造企业", "annualOutputCentiWan": 123456, "salesCentiWan": 5000, "deliveryMonths": 3,
             "documentFileId": document}
    status, product = browser.api("POST", "/v1/provider/products", {
        "name": name, "category": "diagnostic_consulting", "productNames": ["诊断平台"], "tags": ["诊断", "制造业"],
        "imageFileId": image, "solutionClasses": ["研发设计"], "industries": ["制造业"], "priceLowFen": 100000,
        "priceHighFen": 5000000, "deliveryCycleDays": 30, "personDays": 20, "caseStudies": [study, study, study],
        "contact": {"name": "张三", "phone": "13200000000"},
        "intro": {"bannerTitle": name, "bannerText": "一站式诊断", "bannerImageFileId": image, "highlights": ["七天出报告"],
                  "description": "面向制造业中小企业的数字化转型诊断服务。",
                  "modules": [{"title": "诊断报告", "text": "报告样例", "mediaFileIds": [image]}],
                  "afterSales": {"hours": "9:00-18:00", "scope": "远程支持", "hotline": "400-000-0000"}},
        "specs": [{"name": "标准版", "purchaseMode": "quantity", "pricing": "simple", "unitPriceFen": unit_price_fen}]},
        token=provider)
    assert status == 201, product
    status, submitted = browser.api("POST", "/v1/provider/products/%s/submit" % product["id"], token=provider)
    assert status == 200, submitted
    for account in (OPERATOR, EXPERT, AUTHORITY):
        status, body = browser.api("POST", "/v1/approvals/%s/approve" % submitted["approvalId"], {},
                                   token=browser.api_token(*account))
        assert status == 200, body
    return product["id"]


def grabbed_diagnostic_voucher(face_value_fen):
    """A published campaign with one diagnostic lot of `face_value_fen` that demo_enterprise grabbed."""
    operator = browser.api_token(*OPERATOR)
    status, campaign = browser.api("POST", "/v1/campaigns", {
        "name": "诊断服务券 · 购买测试", "startsAt": "2026-01-01T09:00:00+08:00", "endsAt": "2030-01-01T09:00:00+08:00",
        "lots": [{"kind": "diagnostic", "faceValueFen": face_value_fen, "stock": 10, "perEnterpriseLimit": 1, "mode": "grab",
                  "validityDays": 180}]}, token=operator)
    assert status == 201, campaign
    status, body = browser.api("POST", "/v1/campaigns/%s/publish" % campaign["id"], token=operator)
    assert status == 200, body
    enterprise = browser.api_token(*ENTERPRISE)
    status, body = browser.api("POST", "/v1/campaigns/%s/lots/%s/grab" % (campaign["id"], campaign["lots"][0]["id"]),
                               token=enterprise)
    assert status in (200, 201), body


def wait_for_quote_deduction(test, expected):
    """Reloads the open 商品购买 page until its quote deducts `expected`: the claim sink stores a
    grab in PostgreSQL on its own schedule, and only then does the quote offer the voucher."""
    def deduction_shown(driver):
        if test.text("#quote-deduction") == expected:
            return True
        driver.refresh()
        return False

    WebDriverWait(test.driver, browser.WAIT_S, ignored_exceptions=(
        NoSuchElementException, StaleElementReferenceException)).until(deduction_shown)


def approve_payment(order_id):
    """The payments operator approves the order's offline payment in its inbox (JSON API)."""
    token = browser.api_token(*PAYMENTS)
    status, waiting = browser.api("GET", "/v1/approvals/waiting?pageSize=100", token=token)
    assert status == 200, waiting
    approval = next(item for item in waiting["items"] if item["subjectId"] == order_id)
    status, body = browser.api("POST", "/v1/approvals/%s/approve" % approval["id"], {}, token=token)
    assert status == 200, body


class BuyTests(BrowserTest):
    def until(self, condition):
        """Waits for `condition` of the page; an element replaced by the next page while it is read
        (a form's answer arriving) is read again."""
        return WebDriverWait(self.driver, browser.WAIT_S, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException)).until(condition)

    def test_the_guides_50000_purchase_from_product_page_to_review(self):
        """Proves the guide's example end to end in the browser: ¥50,000 total, ¥15,000 deduction and
        ¥35,000 payable shown before confirming (and recalculated live as the quantity changes), a
        proof uploaded and the payment confirmed, then accepted after the operator's approval and the
        provider's delivery, and reviewed in 我的评价 with the errors next to their fields first."""
        name = "数字化转型诊断 " + uuid.uuid4().hex[:6]
        product = listed_product(name, 5000000)
        grabbed_diagnostic_voucher(1500000)
        self.log_in(*ENTERPRISE)

        # 商品详情 from 产品和解决方案.
        self.open("/products?q=" + urllib.request.quote(name))
        self.driver.find_element(By.LINK_TEXT, name).click()
        self.wait_for("#product-detail")
        self.assertEqual(name, self.text("#product-name"))
        self.assertIn("¥50,000.00", self.text("#spec-list"))
        self.assertIn("13200000000", self.text("#product-contact"))
        self.assertIn("案例介绍", self.text("main"))
        self.screenshot("product-detail", phone=True)
        self.driver.find_element(By.ID, "buy-link").click()
        self.wait_for("#buy-form")

        wait_for_quote_deduction(self, "¥15,000.00")
        self.assertEqual("¥50,000.00", self.text("#quote-total"))
        self.assertEqual("¥15,000.00", self.text("#quote-cap"))
        self.assertEqual("¥35,000.00", self.text("#quote-payable"))
        self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, "#voucher-choice input[type=checkbox]:checked"))
        self.screenshot("buy", phone=True)

        # The live preview (buy.js): a quantity of 2 doubles the total and the cap.
        self.wait_for("#buy-form[data-live='1']")
        quantity = self.driver.find_element(By.ID, "quantity")
        quantity.clear()
        quantity.send_keys("2")
        self.until(lambda d: self.text("#quote-total") == "¥100,000.00")
        self.assertEqual("¥30,000.00", self.text("#quote-cap"))
        quantity.clear()
        quantity.send_keys("1")
        self.until(lambda d: self.text("#quote-payable") == "¥35,000.00")
        self.assertEqual("¥15,000.00", self.text("#quote-deduction"))

        # 确认下单 → the order, waiting for the offline payment.
        self.driver.find_element(By.ID, "buy-submit").click()
        self.wait_for("#order-notice")
        order_id = self.text("#order-id")
        self.assertEqual("¥35,000.00", self.text("#order-payable"))
        self.assertEqual("¥15,000.00", self.text("#order-deduction"))
        self.assertEqual("待支付", self.text("#order-state"))

        # 确认支付 before any proof is refused next to the upload field.
        self.driver.find_element(By.ID, "pay-submit").click()
        self.wait_for("#proofs-error")
        self.screenshot("order-payment", phone=True)

        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as proof:
            proof.write(PIXEL_PNG)
        try:
            self.driver.find_element(By.ID, "proofs").send_keys(proof.name)
            self.driver.find_element(By.ID, "proof-submit").click()
            self.until(lambda d: "1 份" in self.text("#proof-count"))
        finally:
            os.unlink(proof.name)
        self.driver.find_element(By.ID, "pay-submit").click()
        self.until(lambda d: self.text("#order-state") == "支付审核中")

        # The payments operator approves, the provider delivers (JSON API).
        approve_payment(order_id)
        status, body = browser.api("POST", "/v1/provider/orders/%s/deliver" % order_id, token=browser.api_token(*PROVIDER))
        self.assertEqual(200, status, body)
        self.driver.refresh()
        self.wait_for("#accept-submit")
        self.assertEqual("已交付", self.text("#order-state"))
        self.assertTrue(self.driver.find_elements(By.ID, "refund-submit"))
        self.screenshot("order-delivered", phone=True)
        self.driver.find_element(By.ID, "accept-submit").click()
        self.until(lambda d: self.text("#order-state") == "已完成")

        # 我的评价: 立即评价, errors next to the fields, then the review.
        self.driver.find_element(By.LINK_TEXT, "我的评价").click()
        self.wait_for("#review-list")
        headers = self.text("#review-list thead")
        for column in ("商品名称", "商品状态", "订购时间", "评价时间", "我的评分", "操作"):
            self.assertIn(column, headers)
        row = self.driver.find_element(By.XPATH, "//table[@id='review-list']//tr[td/a[text()='%s']]" % name)
        row.find_element(By.LINK_TEXT, "立即评价").click()
        self.wait_for("#review-form")
        self.driver.find_element(By.ID, "review-text-input").send_keys("好")
        self.driver.find_element(By.ID, "review-submit").click()
        self.wait_for("#stars-error")
        # The rule checks the stars first; with them, the short text is refused next to its field.
        self.driver.find_element(By.ID, "stars-5").click()
        self.driver.find_element(By.ID, "review-submit").click()
        self.wait_for("#text-error")
        self.assertFalse(self.driver.find_elements(By.ID, "stars-error"))
        self.screenshot("review-errors", phone=True)
        self.driver.find_element(By.ID, "stars-5").click()
        text = self.driver.find_element(By.ID, "review-text-input")
        text.clear()
        text.send_keys("诊断专业，报告详实，交付及时。")
        self.driver.find_element(By.ID, "review-submit").click()
        self.wait_for("#review-notice")
        self.assertEqual("★★★★★", self.text("#review-stars"))
        self.screenshot("review", phone=True)
        self.driver.find_element(By.LINK_TEXT, "返回我的评价").click()
        self.wait_for("#review-list")
        row = self.driver.find_element(By.XPATH, "//table[@id='review-list']//tr[td/a[text()='%s']]" % name)
        self.assertIn("查看评价", row.text)
        self.assertIn("★★★★★", row.text)
        self.screenshot("my-reviews", phone=True)

    def test_an_order_form_without_its_csrf_token_changes_nothing(self):
        """Proves the purchase page's 确认下单 posted without the session's CSRF token is the 403 page
        and places no order."""
        self.log_in(*ENTERPRISE)
        product = listed_product("CSRF 测试商品 " + uuid.uuid4().hex[:6], 100000)
        self.open("/workbench/buy/" + product)
        self.wait_for("#buy-form")
        status, before = browser.api("GET", "/v1/orders?pageSize=1", token=browser.api_token(*ENTERPRISE))
        self.driver.execute_script("document.querySelector(\"#buy-form input[name='csrf']\").remove()")
        self.driver.find_element(By.ID, "buy-submit").click()
        self.wait_for(".error-page")
        self.assertIn("无权访问", self.text("h1"))
        status, after = browser.api("GET", "/v1/orders?pageSize=1", token=browser.api_token(*ENTERPRISE))
        self.assertEqual(before["total"], after["total"])


if __name__ == "__main__":
    unittest.main()


def placed_order(product, token):
    """An order of one unit of the product's first spec, paid without vouchers (JSON API); its id."""
    status, detail = browser.api("GET", "/v1/catalogue/" + product)
    assert status == 200, detail
    status, order = browser.api("POST", "/v1/orders", {
        "productId": product, "specId": detail["detail"]["specs"][0]["id"], "quantity": 1, "voucherIds": []}, token=token,
        headers={"Idempotency-Key": uuid.uuid4().hex})
    assert status == 201, order
    return order["id"]


def delivered_order(product, token):
    """`placed_order`, its proof and payment (JSON API), approved and delivered; its id."""
    order = placed_order(product, token)
    request = urllib.request.Request(browser.BASE_URL + "/v1/orders/%s/proofs" % order, method="POST", data=PIXEL_PNG)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "image/png")
    with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
        assert answer.status in (200, 201), answer.status
    status, body = browser.api("POST", "/v1/orders/%s/payment" % order, {}, token=token)
    assert status == 200, body
    approve_payment(order)
    status, body = browser.api("POST", "/v1/provider/orders/%s/deliver" % order, token=browser.api_token(*PROVIDER))
    assert status == 200, body
    return order


class OrderActionTests(BrowserTest):
    def until(self, condition):
        return WebDriverWait(self.driver, browser.WAIT_S, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException)).until(condition)

    def test_cancel_refund_and_a_review_edited_in_its_window(self):
        """Proves 取消订单 on an unpaid order (已取消, no action left), 申请退订 on a delivered one
        (退款审核中, no second request), and 查看评价 → 保存修改 of a review within its edit window
        (the new stars and text shown, the list row too)."""
        name = "订单操作测试 " + uuid.uuid4().hex[:6]
        product = listed_product(name, 100000)
        enterprise = browser.api_token(*ENTERPRISE)
        unpaid = placed_order(product, enterprise)
        refunded = delivered_order(product, enterprise)
        reviewed = delivered_order(product, enterprise)
        status, body = browser.api("POST", "/v1/orders/%s/accept" % reviewed, {}, token=enterprise)
        self.assertEqual(200, status, body)
        status, body = browser.api("POST", "/v1/reviews", {"orderId": reviewed, "stars": 3, "text": "交付一般，还需改进。"}, token=enterprise)
        self.assertEqual(201, status, body)
        self.log_in(*ENTERPRISE)

        self.open("/workbench/orders/" + unpaid)
        self.click_and_load(self.wait_for("#cancel-submit"))
        self.until(lambda d: self.text("#order-state") == "已取消")
        self.assertFalse(self.driver.find_elements(By.ID, "cancel-submit"))
        self.assertFalse(self.driver.find_elements(By.ID, "pay-submit"))
        self.screenshot("order-cancelled", phone=True)

        self.open("/workbench/orders/" + refunded)
        self.click_and_load(self.wait_for("#refund-submit"))
        self.until(lambda d: self.text("#order-state") == "退款审核中")
        self.assertFalse(self.driver.find_elements(By.ID, "refund-submit"))
        self.assertFalse(self.driver.find_elements(By.ID, "accept-submit"))
        self.screenshot("order-refund-requested", phone=True)

        self.open("/workbench/reviews")
        self.wait_for("#review-list")
        row = self.driver.find_element(By.XPATH, "//table[@id='review-list']//tr[td/a[text()='%s']]" % name)
        self.assertIn("★★★☆☆", row.text)
        self.click_and_load(row.find_element(By.LINK_TEXT, "查看评价"))
        self.wait_for("#review-form")
        self.assertEqual("保存修改", self.text("#review-submit"))
        self.driver.find_element(By.ID, "stars-5").click()
        text = self.driver.find_element(By.ID, "review-text-input")
        text.clear()
        text.send_keys("复盘后补充：问题都已解决，很满意。")
        self.click_and_load("#review-submit")
        self.wait_for("#review-notice")
        self.assertEqual("★★★★★", self.text("#review-stars"))
        self.assertIn("问题都已解决", self.driver.find_element(By.ID, "review-text-input").get_attribute("value"))
        self.screenshot("review-edited", phone=True)
        self.open("/workbench/reviews")
        self.wait_for("#review-list")
        row = self.driver.find_element(By.XPATH, "//table[@id='review-list']//tr[td/a[text()='%s']]" % name)
        self.assertIn("★★★★★", row.text)
