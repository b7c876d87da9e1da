"""The enterprise registration wizard and 我的企业 in a real browser (guide §2.3.2 and §2.4.3;
issues 15 and 16): a new enterprise registers through every step, resumes its draft after logging
out, is certified by the demo operator through the JSON API, and reads 已认证 and its details on
我的企业, where a <script> typed into text fields renders as text. Then the same enterprise, in the
same browser session, goes the rest of issue 16's chain: it grabs a voucher at a campaign's
opening, buys the guide's ¥50,000 product with it (¥15,000 deducted, ¥35,000 payable), uploads a
proof, accepts the delivery after the operator's approval and the provider's delivery (JSON API),
and reviews the product."""
import os
import tempfile

import uuid
from datetime import timedelta

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import browser
from browser import SERVER_LOG, BrowserTest, api, api_token, sms_code
from test_buy import PIXEL_PNG, PROVIDER, approve_payment, listed_product, wait_for_quote_deduction
from test_grab import grab_lot, published_campaign, server_now

OPERATOR = ("operator", "Platform#2026")
USERNAME = "web_enterprise_01"
PASSWORD = "Webreg#2026x"
PHONE = "13900007001"
ATTACK = "<script>window.__pwned = 1</script>"
# For the short fields (联系人: 30 characters), whose maxlength would cut ATTACK.
SHORT_ATTACK = "<script>x=1</script>"
# The smallest PNG: the licence is checked by content, not by name.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f000500 01ff89993d1d0000000049454e44ae426082".replace(" ", ""))


class RegistrationTests(BrowserTest):
    def fill(self, element_id, text):
        field = self.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def choose(self, element_id, code):
        Select(self.driver.find_element(By.ID, element_id)).select_by_value(code)

    def click(self, element_id):
        self.driver.find_element(By.ID, element_id).click()

    def until(self, condition):
        """Waits for `condition` of the page; an element replaced while it is read is read again."""
        return WebDriverWait(self.driver, browser.WAIT_S, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException)).until(condition)

    def grab_buy_and_review(self):
        """The signed-in, certified enterprise of this browser: 抢券 at an opening, 商品购买 with that
        voucher, the proof, 确认支付, 确认验收 and 立即评价."""
        name = "注册后购买的诊断 " + uuid.uuid4().hex[:6]
        product = listed_product(name, 5000000)
        opens = server_now() + timedelta(seconds=8)
        campaign, (lot,) = published_campaign(api_token(*OPERATOR), "注册后抢券 · 浏览器测试", opens, [grab_lot(5)])
        self.open("/campaigns/" + campaign)
        # 抢券 enables itself at the server's opening instant (test_grab proves the countdown).
        WebDriverWait(self.driver, browser.WAIT_S).until(EC.element_to_be_clickable((By.ID, "grab-" + lot))).click()
        self.until(lambda d: "抢券成功" in self.text("#result-" + lot))
        self.screenshot("journey-grabbed")

        self.open("/workbench/buy/" + product)
        self.wait_for("#buy-form")
        wait_for_quote_deduction(self, "¥15,000.00")
        self.assertEqual("¥35,000.00", self.text("#quote-payable"))
        self.click_and_load("#buy-submit")
        self.wait_for("#order-notice")
        order_id = self.text("#order-id")
        self.assertEqual("¥15,000.00", self.text("#order-deduction"))
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as proof:
            proof.write(PIXEL_PNG)
        try:
            self.driver.find_element(By.ID, "proofs").send_keys(proof.name)
            self.click_and_load("#proof-submit")
            self.until(lambda d: "1 份" in self.text("#proof-count"))
        finally:
            os.unlink(proof.name)
        self.click_and_load("#pay-submit")
        self.until(lambda d: self.text("#order-state") == "支付审核中")

        approve_payment(order_id)
        status, body = api("POST", "/v1/provider/orders/%s/deliver" % order_id, token=api_token(*PROVIDER))
        self.assertEqual(200, status, body)
        self.open("/workbench/orders/" + order_id)
        self.click_and_load(self.wait_for("#accept-submit"))
        self.until(lambda d: self.text("#order-state") == "已完成")

        self.open("/workbench/reviews")
        row = self.wait_for("#review-list")
        row = self.driver.find_element(By.XPATH, "//table[@id='review-list']//tr[td/a[text()='%s']]" % name)
        self.click_and_load(row.find_element(By.LINK_TEXT, "立即评价"))
        self.wait_for("#review-form")
        self.driver.find_element(By.ID, "stars-4").click()
        self.driver.find_element(By.ID, "review-text-input").send_keys("注册到验收一路顺畅。")
        self.click_and_load("#review-submit")
        self.wait_for("#review-notice")
        self.assertEqual("★★★★☆", self.text("#review-stars"))
        self.screenshot("journey-reviewed")

    def test_an_enterprise_registers_in_the_browser_and_reads_my_organisation(self):
        """Proves every step of the wizard: the account with its SMS code, 企业背景 saved in part,
        a refused field shown next to itself, the draft resumed after logout and login, the groups,
        the licence upload, the survey, 提交 refused while something is missing and then 审核中; then
        the operator approves through the API and 我的企业 shows 已认证, 基本信息 and 企业诊断信息 with
        the typed <script> as text."""
        self.assertTrue(SERVER_LOG, "ops/browser-test names the server's log (VOUCHER_SERVER_LOG)")
        # Step 1: the account.
        self.open("/register")
        self.wait_for("#start-registration").click()
        self.wait_for("#register-form")
        self.screenshot("register-account", phone=True)
        self.fill("username", USERNAME)
        self.fill("phone", PHONE)
        self.click("send-code")
        self.wait_for("#register-notice")
        code = WebDriverWait(self.driver, browser.WAIT_S).until(lambda _: sms_code(PHONE))
        self.fill("sms-code", code)
        self.fill("password", PASSWORD)
        self.fill("password-confirmation", PASSWORD)
        self.click("register-next")
        self.wait_for("#consent-error")  # consent is required, and what was typed stays
        self.assertEqual(USERNAME, self.driver.find_element(By.ID, "username").get_attribute("value"))
        self.fill("sms-code", code)
        self.fill("password", PASSWORD)
        self.fill("password-confirmation", PASSWORD)
        self.click("consent")
        self.click("register-next")

        # Step 2: 企业背景, saved in part, a wrong date refused next to its field.
        self.wait_for("#registration-details")
        self.assertIn("企业注册", self.text("#side-menu"))
        self.fill("f-name", "网页注册科技有限公司" + ATTACK)
        self.fill("f-unifiedSocialCreditCode", "91350100M000100Y43")
        self.fill("f-legalRepresentative", "赵六")
        self.fill("f-foundedOn", "2012/05/20")
        self.click("save")
        self.wait_for("#f-foundedOn-error")
        self.assertEqual("true", self.driver.find_element(By.ID, "f-foundedOn").get_attribute("aria-invalid"))
        self.assertEqual("赵六", self.driver.find_element(By.ID, "f-legalRepresentative").get_attribute("value"))
        self.screenshot("registration-details-error", phone=True)
        self.fill("f-foundedOn", "2012-05-20")
        self.click("save")
        self.wait_for("#saved-notice")

        # Leave and come back: the draft is on the server.
        self.driver.find_element(By.CSS_SELECTOR, "#logout-form button").click()
        self.wait_for("#login-form")
        self.log_in(USERNAME, PASSWORD)
        self.open("/workbench/registration/details")
        self.wait_for("#registration-details")
        self.assertEqual("赵六", self.driver.find_element(By.ID, "f-legalRepresentative").get_attribute("value"))
        self.assertEqual("2012-05-20", self.driver.find_element(By.ID, "f-foundedOn").get_attribute("value"))

        texts = {
            "f-legalRepresentativePhone": "13900000009", "f-contactName": "王五" + SHORT_ATTACK, "f-contactPhone": "0591-8888888",
            "f-contactTitle": "总经理", "f-email": "boss@example.com", "f-postCode": "350000", "f-industry": "制造业",
            "f-keyIndustryChain": "智能制造", "f-coreProduct": "精密零部件", "f-enterpriseCustomersIn3Years": "40",
            "f-consumerCustomersIn1Year": "0", "f-manufacturingOutputAverageFen": "50000000", "f-employeeCount": "120",
            "f-region": "福建省福州市", "f-registeredAddress": "福建省福州市鼓楼区", "f-businessAddress": "福建省福州市鼓楼区",
            "f-highTechCertifiedOn": "2021-11-30", "f-subsidyCountIn3Years": "2", "f-subsidyTotalIn3YearsFen": "200000.50",
        }
        for element_id, text in texts.items():
            self.fill(element_id, text)
        self.choose("f-registrationType", "limited_liability")
        self.choose("f-taxCreditRating", "A")
        self.choose("f-subsidyLevel", "municipal")
        for element_id in ("f-listed-no", "f-listingPlanned-no", "f-highTech-yes", "f-famousBrand-no", "f-singleChampion-no",
                           "f-specialisedGiant-no", "f-provincialAwards-yes", "f-customerKinds-large_enterprise", "f-customerKinds-sme"):
            self.click(element_id)
        self.fill("f-introduction", "简介" + ATTACK)
        self.screenshot("registration-details", phone=True)
        self.click("next")

        # The groups.
        self.wait_for("#registration-groups")
        self.driver.find_element(By.CSS_SELECTOR, "details.group summary").click()
        self.fill("group-operations", "营业收入Fen=500000000\n有ERP=是")
        self.screenshot("registration-groups", phone=True)
        self.click("next")

        # The licence, uploaded as multipart.
        self.wait_for("#registration-licence")
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as image:
            image.write(PNG)
        try:
            self.driver.find_element(By.ID, "licence").send_keys(image.name)
            self.click("next")
            self.wait_for("#registration-survey")
        finally:
            os.unlink(image.name)
        self.open("/workbench/registration/licence")
        self.assertIn("已上传", self.wait_for("#licence-state").text)
        self.screenshot("registration-licence", phone=True)

        # 提交 before the survey: refused, with what is missing.
        self.open("/workbench/registration")
        self.wait_for("#submit").click()
        self.wait_for("#submit-refused")
        self.assertIn("需求调研表", self.text("#missing"))
        self.screenshot("registration-refused", phone=True)

        # The survey, then 提交 and the waiting state.
        self.open("/workbench/registration/survey")
        self.wait_for("#registration-survey")
        self.fill("city", "福州市")
        self.click("type-private")
        self.fill("needs", "上云用云" + ATTACK)
        self.screenshot("registration-survey", phone=True)
        self.click("next")
        self.wait_for("#registration-submit")
        self.click("submit")
        self.wait_for("#under-review")
        self.assertEqual("审核中", self.text("#certification-state"))
        self.screenshot("registration-under-review", phone=True)
        self.open("/workbench/organisation")
        self.assertIn("审批中", self.wait_for("#pending-notice").text)

        # The operator certifies it through the JSON API.
        operator = api_token(*OPERATOR)
        status, mine = api("GET", "/v1/account/me", token=api_token(USERNAME, PASSWORD))
        self.assertEqual(200, status, mine)
        status, waiting = api("GET", "/v1/approvals/waiting?pageSize=100", token=operator)
        self.assertEqual(200, status, waiting)
        ids = [item["id"] for item in waiting["items"] if item["subjectId"] == mine["organisationId"]]
        self.assertEqual(1, len(ids), waiting)
        status, decided = api("POST", "/v1/approvals/" + ids[0] + "/approve", {}, token=operator)
        self.assertEqual(200, status, decided)

        # 我的企业: 已认证, the details, the survey; the typed <script> is text.
        self.open("/workbench/organisation")
        self.wait_for("#organisation-page")
        self.assertEqual("已认证", self.text("#org-certification"))
        self.assertEqual("网页注册科技有限公司" + ATTACK, self.text("#basic-name"))
        self.assertEqual("王五" + SHORT_ATTACK, self.text("#basic-contactName"))
        self.assertEqual("有限责任公司", self.text("#basic-registrationType"))
        self.assertEqual("¥200000.50", self.text("#basic-subsidyTotalIn3YearsFen"))
        self.assertEqual("大型企业、中小企业", self.text("#basic-customerKinds"))
        self.assertEqual("简介" + ATTACK, self.text("#basic-introduction"))
        self.assertEqual("上云用云" + ATTACK, self.text("#survey-needs"))
        self.assertEqual("私营企业", self.text("#survey-companyType"))
        self.assertIn("营业收入Fen", self.text("#basic-info"))
        self.assertIsNone(self.driver.execute_script("return window.__pwned"))
        self.assertNotIn("企业注册", self.text("#side-menu"))
        self.screenshot("my-organisation", phone=True)

        # The rest of the chain, as this enterprise in this session.
        self.grab_buy_and_review()

    def test_my_organisation_follows_the_organisation_menu(self):
        """Proves a sub-account holding the organisation menu reads 我的企业 of the demo enterprise
        (已认证, 基本信息, 企业诊断信息), and one without it sees neither the menu nor the page (403)."""
        main = api_token(*browser.ENTERPRISE)
        for username, phone, permissions in (("clerk_org_web", "13800007101", ["organisation"]),
                                             ("clerk_inbox_web", "13800007102", ["inbox"])):
            status, body = api("POST", "/v1/subaccounts", {
                "username": username, "phone": phone, "password": "Clerk#2026x", "passwordConfirmation": "Clerk#2026x",
                "permissions": permissions}, token=main)
            self.assertIn(status, (201, 409), body)
        self.log_in("clerk_org_web", "Clerk#2026x")
        self.assertIn("我的企业", self.text("#side-menu"))
        self.open("/workbench/organisation")
        self.wait_for("#organisation-page")
        self.assertEqual("已认证", self.text("#org-certification"))
        self.assertEqual("演示制造有限公司", self.text("#basic-name"))
        self.assertEqual("私营企业", self.text("#survey-companyType"))
        self.driver.find_element(By.CSS_SELECTOR, "#logout-form button").click()
        self.wait_for("#login-form")
        self.log_in("clerk_inbox_web", "Clerk#2026x")
        self.assertNotIn("我的企业", self.text("#side-menu"))
        self.open("/workbench/organisation")
        self.wait_for("#error-page")
        self.assertIn("403", self.text("#error-page h1"))
