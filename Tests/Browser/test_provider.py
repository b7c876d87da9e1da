"""The provider's 商品管理 in a real browser (guide §1.4.4, issue 17's Must-show flow): demo_provider
writes a listing in the editor — every block, two images and three case documents uploaded as a
multipart form, a refused amount shown next to its field, the intro modules reordered with 上移
without JavaScript —, previews it as the catalogue will show it and submits it; the operator, an
expert and the authority each open it in their own browser session, see the listing as the subject
of the application and approve it; the product is then in the catalogue and an enterprise buys it
(JSON API); once its payment is approved the provider delivers it from 订单管理 (客户评价 is shown
too). The provider pages refuse an enterprise (403 page) and a product that is not the provider's
(404 page). Screenshots at desktop and 375 px."""
import json
import os
import tempfile
import urllib.request
import uuid

from selenium.webdriver.common.by import By

import browser
from browser import ENTERPRISE, BrowserTest

PROVIDER = ("demo_provider", "Provider#2026")
OPERATOR = ("operator", "Platform#2026")
EXPERT = ("demo_expert", "Expert#2026")
AUTHORITY = ("demo_authority", "Authority#2026")
PAYMENTS = ("demo_payments", "Payments#2026")
# A 1×1 PNG (display and banner image) and a tiny PDF (the case studies' 介绍文档).
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010804000000b51c0c020000000b4944415478da63646000000006000230"
    "81d02f0000000049454e44ae426082")
CASE_PDF = b"%PDF-1.7\n%case study\n"


class Session(BrowserTest):
    """A browser of its own for one reviewer (no tests of its own: the flow test drives it)."""


class ProviderTests(BrowserTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = tempfile.mkdtemp()
        cls.png = os.path.join(cls.files, "cover.png")
        cls.pdf = os.path.join(cls.files, "case.pdf")
        with open(cls.png, "wb") as out:
            out.write(PIXEL_PNG)
        with open(cls.pdf, "wb") as out:
            out.write(CASE_PDF)
        cls.reviewers = []

    @classmethod
    def tearDownClass(cls):
        for session in cls.reviewers:
            session.driver.quit()
        super().tearDownClass()

    def fill(self, name, value):
        field = self.driver.find_element(By.NAME, name)
        if field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, "option[value='%s']" % value).click()
        else:
            field.clear()
            field.send_keys(value)

    def fill_listing(self, name):
        for key, value in [
                ("name", name), ("productNames", "诊断平台"), ("category", "diagnostic_consulting"), ("tags", "诊断\n制造业"),
                ("solutionClasses", "研发设计"), ("industries", "制造业"), ("priceLow", "1000"), ("priceHigh", "50000.00"),
                ("deliveryCycleDays", "30"), ("personDays", "20"), ("contact.name", "张三"), ("contact.phone", "13200000000"),
                ("intro.bannerTitle", name), ("intro.bannerText", "一站式数字化诊断"), ("intro.highlights", "七天出报告"),
                ("intro.description", "面向制造业中小企业的数字化转型诊断服务。"), ("intro.hours", "9:00-18:00"),
                ("intro.scope", "远程支持"), ("intro.hotline", "400-000-0000"), ("m0.title", "诊断报告"), ("m0.text", "报告样例"),
                ("s0.name", "标准版"), ("s0.mode", "quantity"), ("s0.price", "50000")]:
            self.fill(key, value)
        for index in range(3):
            self.fill("c%d.customer" % index, "某制造企业%d" % (index + 1))
            self.fill("c%d.annualOutput" % index, "1234.56")
            self.fill("c%d.sales" % index, "50")
            self.fill("c%d.deliveryMonths" % index, "3")
            self.driver.find_element(By.NAME, "c%d.document.upload" % index).send_keys(self.pdf)
        self.driver.find_element(By.NAME, "image.upload").send_keys(self.png)
        self.driver.find_element(By.NAME, "intro.banner.upload").send_keys(self.png)
        self.driver.find_element(By.NAME, "m0.media.upload").send_keys(self.png)

    def reviewer(self, account):
        session = Session()
        session.driver = browser.new_driver()
        type(self).reviewers.append(session)
        session.log_in(*account)
        return session

    def test_a_listing_from_the_editor_through_the_chain_to_a_purchase(self):
        """Proves the whole chain in browsers: the editor keeps the uploads and typed text through a
        refused save (the error next to 销售历史最低价格) and a module move, 发布预览 renders the
        catalogue's page with the modules in the new order, 提交申请 puts it 待审核, operator, expert
        and authority each see the listing on the approval page and approve it in their own
        session, and the listed product is in the catalogue and can be bought."""
        name = "数字化诊断 " + uuid.uuid4().hex[:6]
        self.log_in(*PROVIDER)
        self.open("/workbench/products")
        self.wait_for("#product-list")
        self.click_and_load("#new-listing")
        self.wait_for("#listing-form")
        self.fill_listing(name)
        self.fill("priceLow", "10.001")
        self.screenshot("listing-editor", phone=True)
        self.click_and_load("#save-draft")
        self.assertIn("最多两位小数", self.wait_for_text("#f-priceLow-error", "金额"))
        # The uploads were stored and are kept by the form; what was typed is still there.
        self.assertIn("已上传", self.text("#f-image-uploaded"))
        self.assertEqual("某制造企业2", self.driver.find_element(By.NAME, "c1.customer").get_attribute("value"))
        self.screenshot("listing-editor-error", phone=True)

        # A second module, moved above the first without JavaScript.
        self.fill("priceLow", "1000")
        self.fill("m1.title", "实施案例")
        self.fill("m1.text", "某企业的实施过程")
        self.click_and_load("#module-2-up")
        self.wait_for_text("#editor-notice", "模块已调整")
        self.assertEqual("实施案例", self.driver.find_element(By.NAME, "m0.title").get_attribute("value"))

        self.click_and_load("#save-preview")
        self.assertEqual(name, self.wait_for_text("#product-name", name))
        self.assertIn("¥50,000.00", self.text("#spec-list"))
        headings = [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "#product-intro h3")]
        self.assertEqual(["实施案例", "诊断报告", "售后服务"], headings)
        self.assertIn("草稿", self.text("#preview-state"))
        self.screenshot("listing-preview", phone=True)
        self.click_and_load("#preview-submit")
        self.wait_for_text("#products-notice", "已提交审核")
        self.assertIn("待审核", self.text("#product-list"))
        self.screenshot("my-products", phone=True)
        product_id = self.driver.find_element(By.CSS_SELECTOR, "#product-list tbody tr").get_attribute("id")[len("product-"):]

        for account, shot in ((OPERATOR, "approval-listing"), (EXPERT, None), (AUTHORITY, None)):
            session = self.reviewer(account)
            session.open("/workbench/inbox?title=" + urllib.request.quote(name))
            session.wait_for("#inbox-list")
            session.click_and_load(session.driver.find_element(By.LINK_TEXT, "详情"))
            session.wait_for("#listing-subject")
            self.assertEqual(name, session.text("#product-name"))
            if shot:
                session.screenshot(shot, phone=True)
            session.click_and_load("#approve")
            session.wait_for_text("#approval-notice", "已审批通过")

        self.open("/workbench/products?state=listed")
        self.assertIn("已上架", self.wait_for_text("#product-list", name))
        self.open("/products/" + product_id)
        self.assertEqual(name, self.wait_for_text("#product-name", name))
        self.assertEqual(["实施案例", "诊断报告", "售后服务"],
                         [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "#product-intro h3")])

        # An enterprise buys it (the purchase page itself is test_buy's).
        status, product = browser.api("GET", "/v1/catalogue/" + product_id)
        self.assertEqual(200, status, product)
        spec = product["detail"]["specs"][0]["id"] if "detail" in product else product["specs"][0]["id"]
        request = urllib.request.Request(
            browser.BASE_URL + "/v1/orders", method="POST",
            data=json.dumps({"productId": product_id, "specId": spec, "quantity": 1, "voucherIds": []}).encode())
        request.add_header("Content-Type", "application/json")
        request.add_header("Authorization", "Bearer " + browser.api_token(*ENTERPRISE))
        request.add_header("Idempotency-Key", uuid.uuid4().hex)
        with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
            self.assertEqual(201, answer.status)
            order = json.loads(answer.read().decode())
        self.assertEqual(5000000, order["totalFen"])

        # The provider's 订单管理: the order, 企业信息查询, and 交付 once the payment is approved.
        enterprise = browser.api_token(*ENTERPRISE)
        proof = urllib.request.Request(browser.BASE_URL + "/v1/orders/%s/proofs" % order["id"], method="POST", data=PIXEL_PNG)
        proof.add_header("Authorization", "Bearer " + enterprise)
        proof.add_header("Content-Type", "application/octet-stream")
        with urllib.request.urlopen(proof, timeout=browser.WAIT_S) as answer:
            self.assertIn(answer.status, (200, 201))
        status, body = browser.api("POST", "/v1/orders/%s/payment" % order["id"], {}, token=enterprise)
        self.assertIn(status, (200, 202), body)
        payments = browser.api_token(*PAYMENTS)
        status, waiting = browser.api("GET", "/v1/approvals/waiting?pageSize=100", token=payments)
        approval = next(item for item in waiting["items"] if item["subjectId"] == order["id"])
        status, body = browser.api("POST", "/v1/approvals/%s/approve" % approval["id"], {}, token=payments)
        self.assertEqual(200, status, body)
        self.open("/workbench/provider/orders")
        self.assertIn(name, self.wait_for_text("#provider-order-list", name))
        self.screenshot("provider-orders", phone=True)
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#provider-order-list tbody tr a"))
        self.assertEqual("演示制造有限公司", self.wait_for_text("#enterprise-name", "演示制造"))
        self.screenshot("provider-order", phone=True)
        self.click_and_load("#deliver")
        self.wait_for_text("#order-notice", "已交付")
        self.assertEqual("已交付", self.text("#order-state"))
        self.open("/workbench/provider/reviews")
        self.wait_for("#customer-review-list")
        self.screenshot("customer-reviews", phone=True)

    def test_provider_pages_refuse_an_enterprise_and_another_providers_product(self):
        """Proves the pages' guards: an enterprise gets the 403 page for 我的商品 and the editor, and
        the provider gets the 404 page for a product that is not its own."""
        self.log_in(*ENTERPRISE)
        for path in ("/workbench/products", "/workbench/products/new"):
            self.open(path)
            self.assertIn("无权访问", self.wait_for_text("h1", "无权访问"))
        self.screenshot("products-forbidden", phone=True)
        self.driver.delete_all_cookies()
        self.log_in(*PROVIDER)
        missing = "prd_" + "0" * 26
        for path in ("/workbench/products/%s/edit" % missing, "/workbench/products/%s/preview" % missing):
            self.open(path)
            self.assertIn("页面不存在", self.wait_for_text("h1", "页面不存在"))

    def test_experts_are_added_with_a_photo_and_edited(self):
        """Proves 专家管理 in the browser: a refused expert shows its error next to the field and keeps
        the uploaded photo, the corrected one is in the list, and an edit is saved."""
        self.log_in(*PROVIDER)
        self.open("/workbench/experts")
        self.wait_for("#expert-admin-list")
        self.click_and_load("#new-expert")
        self.wait_for("#expert-form")
        name = "李" + uuid.uuid4().hex[:4]
        for key, value in [("name", name), ("age", "abc"), ("industrialInternetFields", "工业互联网平台"), ("industryFields", "装备制造"),
                           ("industrialOperationFields", "生产管理"), ("industrialInternetServiceYears", "10"),
                           ("industryServiceYears", "12"), ("experience", "主持多家制造企业的数字化改造"), ("title", "首席专家"),
                           ("introduction", "长期从事智能制造咨询")]:
            self.fill(key, value)
        self.driver.find_element(By.NAME, "photo.upload").send_keys(self.png)
        self.click_and_load("#expert-save")
        self.assertIn("整数", self.wait_for_text("#f-age-error", "整数"))
        self.assertIn("已上传", self.text("#f-photo-uploaded"))
        self.screenshot("expert-form-error", phone=True)
        self.fill("age", "45")
        self.click_and_load("#expert-save")
        self.wait_for_text("#experts-notice", "已保存")
        self.assertIn(name, self.text("#expert-admin-list"))
        self.screenshot("experts-admin", phone=True)
        self.click_and_load(self.driver.find_element(By.XPATH, "//tr[td[normalize-space()='%s']]//a" % name))
        self.fill("title", "总工程师")
        self.click_and_load("#expert-save")
        self.assertIn("总工程师", self.wait_for_text("#expert-admin-list", "总工程师"))
