"""The operator's workbench in a real browser (issue 17, Operator): 活动管理 — a campaign created
in the form, published, restocked, its page's remaining stock falling live (read from Redis by the
page's script, never a reload) while an enterprise grabs through the JSON API, an apply lot's
application rejected without a reason (refused next to it) and approved, the campaign ended; 待办
subjects — a registration's details with its licence image and an order's payment proofs, each
thumbnail opening full size; and the pages refusing other roles (403 page). Screenshots at
desktop and 375 px. Every wait is a WebDriverWait on the page."""
import json
import random
import re
import urllib.request
import struct
import uuid
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser
from browser import ENTERPRISE, BrowserTest, sms_code
from test_buy import PROVIDER, listed_product

OPERATOR = ("operator", "Platform#2026")
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def sample_png(width=160, height=100):
    """A small PNG a person can see in a screenshot (a licence, a proof): a blue frame with stripes."""
    rows = b""
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            edge = x < 6 or y < 6 or x >= width - 6 or y >= height - 6
            stripe = (x // 10 + y // 10) % 2 == 0
            row += bytes((11, 61, 145) if edge else (220, 38, 38) if stripe and 30 < y < 70 else (241, 245, 249))
        rows += bytes(row)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


IMAGE_PNG = sample_png()


def uscc(body):
    """A 统一社会信用代码 with its GB 32100 check character."""
    remainder = 31 - sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS)) % 31
    return body + USCC_CHARS[0 if remainder == 31 else remainder]


def raw(method, path, data, token):
    """A raw-body call (the JSON API's uploads); answers the status."""
    request = urllib.request.Request(browser.BASE_URL + path, method=method, data=data)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/octet-stream")
    try:
        with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def submitted_registration(name):
    """A new enterprise registered through the JSON API with its details, licence and survey, and
    submitted: answers the certification application's id."""
    phone = "1390071%04d" % random.randint(0, 9999)
    username = "op_subject_" + uuid.uuid4().hex[:8]
    password = "Subject#2026x"
    status, body = browser.api("POST", "/v1/registrations/sms", {"phone": phone})
    assert status == 202, body
    code = None
    for _ in range(200):  # bounded re-reads of the log: its line is written before the 202 left the server
        code = sms_code(phone)
        if code:
            break
    assert code, "the development SMS sender logged the code"
    status, body = browser.api("POST", "/v1/registrations", {
        "role": "enterprise", "username": username, "phone": phone, "password": password, "passwordConfirmation": password,
        "consent": True, "smsCode": code})
    assert status == 201, body
    token = body["session"]["accessToken"]
    details = {
        "name": name, "unifiedSocialCreditCode": uscc("9135010%010d" % random.randint(0, 10 ** 10 - 1)),
        "contactName": "王五", "contactPhone": "0591-8888888", "industry": "制造业", "legalRepresentative": "赵六",
        "legalRepresentativePhone": "13900000009", "contactTitle": "总经理", "email": "boss@example.com", "postCode": "350000",
        "foundedOn": "2012-05-20", "employeeCount": 120, "registrationType": "limited_liability", "taxCreditRating": "A",
        "listed": False, "listingPlanned": False, "keyIndustryChain": "智能制造", "coreProduct": "精密零部件",
        "customerKinds": ["large_enterprise", "sme"], "enterpriseCustomersIn3Years": 40, "consumerCustomersIn1Year": 0,
        "manufacturingOutputAverageFen": 5000000000, "region": "福建省福州市", "registeredAddress": "福建省福州市鼓楼区",
        "businessAddress": "福建省福州市鼓楼区", "highTech": False, "famousBrand": False, "singleChampion": False,
        "subsidyCountIn3Years": 2, "subsidyTotalIn3YearsFen": 20000000, "subsidyLevel": "municipal", "specialisedGiant": False,
        "provincialAwards": False}
    status, body = browser.api("PUT", "/v1/registrations/me/details", details, token=token)
    assert status == 200, body
    assert raw("PUT", "/v1/registrations/me/licence", IMAGE_PNG, token) == 200
    status, body = browser.api("PUT", "/v1/organisations/me/survey", {
        "companyName": name, "city": "福州市", "companyType": "private", "answers": {"needs": ["上云用云"]}}, token=token)
    assert status == 200, body
    status, body = browser.api("POST", "/v1/registrations/me/submit", token=token)
    assert status == 202, body
    return body["applicationId"]


def paid_order_approval(name):
    """demo_enterprise's order of a new listed product with one proof uploaded and the payment
    confirmed: answers (the payment approval's id, the order's id)."""
    product = listed_product(name, 100000)
    status, body = browser.api("GET", "/v1/products/" + product, token=browser.api_token(*PROVIDER))
    assert status == 200, body
    spec = body["specs"][0]["id"] if "specs" in body else body["revision"]["specs"][0]["id"]
    enterprise = browser.api_token(*ENTERPRISE)
    request = urllib.request.Request(browser.BASE_URL + "/v1/orders", method="POST", data=json.dumps(
        {"productId": product, "specId": spec, "quantity": 1, "voucherIds": []}).encode())
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Bearer " + enterprise)
    request.add_header("Idempotency-Key", "op-subject-" + uuid.uuid4().hex)
    with urllib.request.urlopen(request, timeout=browser.WAIT_S) as answer:
        assert answer.status == 201, answer.status
        order = json.loads(answer.read().decode())
    assert raw("POST", "/v1/orders/%s/proofs" % order["id"], IMAGE_PNG, enterprise) in (200, 201)
    status, body = browser.api("POST", "/v1/orders/%s/payment" % order["id"], token=enterprise)
    assert status in (200, 201, 202), body
    status, waiting = browser.api("GET", "/v1/approvals/waiting?pageSize=100", token=browser.api_token(*OPERATOR))
    assert status == 200, waiting
    return next(item["id"] for item in waiting["items"] if item["subjectId"] == order["id"]), order["id"]


class OperatorCampaignTests(BrowserTest):
    def set_field(self, element_id, value):
        field = self.driver.find_element(By.ID, element_id)
        if field.get_attribute("type") == "datetime-local":
            self.driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)

    def test_the_operator_runs_a_campaign_and_watches_its_stock_fall(self):
        """Proves 活动管理: the form creates a draft (a refused field shown above the form first),
        上架 publishes it, 调整库存 raises a lot's stock, an enterprise's grab through the JSON API
        shows on the open page as the remaining stock falling (the page polls Redis's stock; no
        reload) with a claims-per-second figure, an apply lot's application is refused without a
        reason and then approved, and 结束活动 ends the campaign."""
        self.log_in(*OPERATOR)
        self.open("/workbench/campaigns")
        self.wait_for("#operator-campaign-list")
        self.click_and_load("#new-campaign")
        self.wait_for("#campaign-form")
        name = "运营活动 · 浏览器测试 " + uuid.uuid4().hex[:6]
        self.set_field("campaign-name", name)
        self.set_field("starts-at", "2026-01-01T09:00")
        self.set_field("ends-at", "2030-01-01T09:00")
        self.set_field("lot0-face", "1000")
        self.set_field("lot0-stock", "5")
        self.set_field("lot0-limit", "1")
        self.set_field("lot1-face", "abc")
        self.set_field("lot1-stock", "2")
        Select(self.driver.find_element(By.ID, "lot1-mode")).select_by_value("apply")
        self.click_and_load("#campaign-save")
        self.assertIn("第 2 批", self.wait_for("#campaign-form-error").text)
        self.screenshot("operator-campaign-form-error", phone=True)
        self.set_field("lot1-face", "500")
        self.click_and_load("#campaign-save")
        self.wait_for_text("#campaign-notice", "草稿")
        self.assertEqual("草稿", self.text("#campaign-status"))
        campaign = self.driver.current_url.split("/workbench/campaigns/")[1].split("?")[0]
        lots = [row.get_attribute("data-lot") for row in self.driver.find_elements(By.CSS_SELECTOR, "#operator-lot-list tbody tr")]
        self.assertEqual(2, len(lots))
        grab_lot, apply_lot = lots

        self.click_and_load("#campaign-publish")
        self.wait_for_text("#campaign-notice", "已上架")
        self.assertEqual("进行中", self.text("#campaign-status"))
        self.assertEqual("5", self.text("#remaining-" + grab_lot))

        field = self.driver.find_element(By.ID, "restock-" + grab_lot)
        field.clear()
        field.send_keys("8")
        self.click_and_load("#restock-submit-" + grab_lot)
        self.wait_for_text("#campaign-notice", "库存已更新")
        self.assertEqual("8", self.text("#remaining-" + grab_lot), "the page renders Redis's stock without JavaScript's help")

        # An enterprise grabs through the JSON API; the open page shows the stock falling.
        enterprise = browser.api_token(*ENTERPRISE)
        status, body = browser.api("POST", "/v1/campaigns/%s/lots/%s/grab" % (campaign, grab_lot), token=enterprise)
        self.assertEqual(201, status, body)
        self.wait_for_text("#remaining-" + grab_lot, "7")
        self.wait_for_text("#issued-" + grab_lot, "1")
        WebDriverWait(self.driver, browser.WAIT_S).until(lambda d: re.fullmatch(r"\d+\.\d", self.text("#rate-" + grab_lot)))
        self.assertIn("/workbench/campaigns/" + campaign, self.driver.current_url, "the page never reloads")
        self.screenshot("operator-campaign", phone=True)

        # 立即申请: the enterprise applies; the operator refuses without a reason, then approves.
        status, body = browser.api("POST", "/v1/campaigns/%s/lots/%s/applications" % (campaign, apply_lot), token=enterprise)
        self.assertEqual(201, status, body)
        self.driver.refresh()
        application = body["id"]
        self.wait_for("#approve-" + application)
        self.click_and_load("#reject-" + application)
        self.assertIn("原因", self.wait_for("#campaign-error").text)
        self.click_and_load("#approve-" + application)
        self.wait_for_text("#campaign-notice", "已通过")
        self.assertIn("审批通过", self.text("#application-" + application))
        self.assertIn("演示制造有限公司", self.text("#application-" + application), "the applicant by name, not id")

        self.click_and_load("#campaign-end")
        self.wait_for_text("#campaign-notice", "已结束")
        self.assertEqual("已结束", self.text("#campaign-status"))
        self.open("/workbench/campaigns")
        self.wait_for("#operator-campaign-list")
        self.assertIn(name, self.text("#operator-campaign-list"))
        self.screenshot("operator-campaigns", phone=True)

    def test_other_roles_get_the_403_page(self):
        """Proves an enterprise is refused 活动管理 and a campaign's live stock with the 403 page and
        has no 活动管理 in its menu."""
        self.log_in(*ENTERPRISE)
        self.assertNotIn("活动管理", self.text(".side-menu") if self.driver.find_elements(By.CSS_SELECTOR, ".side-menu") else "")
        for path in ("/workbench/campaigns", "/workbench/campaigns/new", "/workbench/campaigns/cmp_00000000000000000000000000/live"):
            self.open(path)
            self.assertIn("无权访问", self.wait_for("h1").text, path)


class ApprovalSubjectTests(BrowserTest):
    def test_the_approval_page_shows_a_registration_and_an_order_with_their_files(self):
        """Proves 待办's subjects: a certification shows the registration's details and its licence
        image (served under the session; another role's session gets the 404 page for it), whose
        thumbnail opens full size without script; a payment shows the order's amounts and its proof."""
        name = "待办主体测试有限公司" + uuid.uuid4().hex[:4]
        registration = submitted_registration(name)
        approval, order = paid_order_approval("待办主体 · 商品 " + uuid.uuid4().hex[:6])

        self.log_in(*OPERATOR)
        self.open("/workbench/inbox/" + registration)
        self.wait_for("#subject-registration")
        self.assertEqual(name, self.text("#subject-org-name"))
        self.assertIn("赵六", self.text("#subject-registration"))
        thumb = self.wait_for("#thumb-licence-1 img")
        WebDriverWait(self.driver, browser.WAIT_S).until(
            lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", thumb))
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", thumb)
        self.screenshot("approval-registration", phone=True)
        self.driver.find_element(By.ID, "thumb-licence-1").click()  # stays on the page: the viewer opens (:target)
        WebDriverWait(self.driver, browser.WAIT_S).until(EC.visibility_of_element_located((By.ID, "view-licence-1")))
        self.screenshot("approval-licence-viewer")
        licence = thumb.get_attribute("src")

        self.open("/workbench/inbox/" + approval)
        self.wait_for("#subject-order")
        self.assertEqual(order, self.text("#subject-order-id"))
        self.assertEqual("¥1,000.00", self.text("#subject-order-payable"))
        proof = self.wait_for("#proof-list img")
        WebDriverWait(self.driver, browser.WAIT_S).until(
            lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", proof))
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", proof)
        self.screenshot("approval-order", phone=True)

        # The licence is the application's people's only: the enterprise's session gets the 404 page.
        self.driver.delete_all_cookies()
        self.log_in(*ENTERPRISE)
        self.driver.get(licence)
        self.assertIn("页面不存在", self.wait_for("h1").text)


class OperatorAnnouncementTests(BrowserTest):
    def test_the_operator_writes_publishes_and_pins_an_announcement_that_the_portal_shows(self):
        """Proves 公告管理: an empty title is refused next to its field, a draft is created and
        edited, 发布 publishes it and the portal's 政策资讯 shows it, 置顶 puts it first, 撤回 takes it
        away from the portal; the list filters by state."""
        self.log_in(*OPERATOR)
        self.open("/workbench/announcements")
        self.wait_for("#announcement-admin-list")
        self.click_and_load("#new-announcement")
        self.wait_for("#announcement-form")
        self.driver.find_element(By.ID, "announcement-content").send_keys("正文")
        self.click_and_load("#announcement-save")
        self.wait_for("#title-error")
        self.screenshot("operator-announcement-error", phone=True)
        title = "运营公告 " + uuid.uuid4().hex[:6]
        self.driver.find_element(By.ID, "announcement-title").send_keys(title + " 草稿")
        Select(self.driver.find_element(By.ID, "announcement-category")).select_by_value("policy")
        self.click_and_load("#announcement-save")
        self.wait_for_text("#announcement-notice", "已保存")
        self.assertEqual("草稿", self.text("#announcement-state"))
        field = self.driver.find_element(By.ID, "announcement-title")
        field.clear()
        field.send_keys(title)
        self.click_and_load("#announcement-save")
        self.wait_for_text("#announcement-notice", "已保存")
        self.click_and_load("#announcement-publish")
        self.wait_for_text("#announcement-notice", "已发布")
        self.assertEqual("已发布", self.text("#announcement-state"))
        self.click_and_load("#announcement-pin")
        self.wait_for_text("#announcement-notice", "置顶")
        self.assertEqual("是", self.text("#announcement-pinned"))
        self.screenshot("operator-announcement", phone=True)

        self.open("/news?category=policy")
        first = self.wait_for(".news-item h2")
        self.assertIn(title, first.text, "a pinned announcement is first on the portal")

        self.open("/workbench/announcements?state=published")
        self.wait_for("#announcement-admin-list")
        self.assertIn(title, self.text("#announcement-admin-list"))
        self.screenshot("operator-announcements", phone=True)

        # 撤回: gone from the portal.
        self.click_and_load(self.driver.find_element(By.XPATH, "//table[@id='announcement-admin-list']//tr[td[1][text()='%s']]//a" % title))
        self.click_and_load("#announcement-withdraw")
        self.wait_for_text("#announcement-notice", "已撤回")
        self.open("/news?category=policy")
        self.wait_for("h1")
        self.assertNotIn(title, self.driver.find_element(By.TAG_NAME, "main").text)


class PlatformListTests(BrowserTest):
    def test_the_operator_reads_the_platform_lists_with_their_filters(self):
        """Proves 平台列表: organisations filtered by kind and certification, orders and products with
        their columns; a refused filter (a state the JSON route does not know) is shown above the list;
        an enterprise gets the 403 page."""
        self.log_in(*OPERATOR)
        self.open("/workbench/platform/organisations?kind=enterprise&certification=certified")
        self.wait_for("#platform-list")
        self.assertIn("企业名称", self.text("#platform-list thead"))
        self.assertIn("已认证", self.text("#platform-list tbody"))
        self.assertNotIn("服务商", self.text("#platform-list tbody"))
        self.screenshot("platform-organisations", phone=True)
        self.open("/workbench/platform/orders")
        self.wait_for("#platform-list")
        for column in ("商品名称", "订购企业", "应付金额", "订单状态"):
            self.assertIn(column, self.text("#platform-list thead"))
        self.screenshot("platform-orders", phone=True)
        self.open("/workbench/platform/products?status=nonsense")
        self.wait_for("#platform-filter-error")
        self.open("/workbench/platform/products?status=listed")
        self.wait_for("#platform-list")
        self.screenshot("platform-products", phone=True)

        self.driver.delete_all_cookies()
        self.log_in(*ENTERPRISE)
        for path in ("/workbench/platform/orders", "/workbench/announcements"):
            self.open(path)
            self.assertIn("无权访问", self.wait_for("h1").text, path)
