"""The provider's registration wizard in a real browser (guide §1.3.1, issue 17): a 服务商 chosen on
the portal's 注册 page registers with its SMS code, saves part of its 企业信息, logs out and in again
and finds the draft, completes it, uploads the licence and submits; the operator opens the
application in its own browser, sees the provider's details and licence and approves it; the
provider then has its workbench menu (商品管理 …) and 我的企业. Screenshots at desktop and 375 px."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser
from browser import SERVER_LOG, BrowserTest, api, api_token, sms_code
from test_provider import Session
from test_registration import OPERATOR, PNG

USERNAME = "web_provider_01"
PASSWORD = "Provreg#2026x"
PHONE = "13900007201"
NAME = "网页服务商数字科技有限公司"


class ProviderRegistrationTests(BrowserTest):
    def fill(self, element_id, text):
        field = self.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def value(self, element_id):
        return self.driver.find_element(By.ID, element_id).get_attribute("value")

    def operator_session(self):
        session = Session()
        session.driver = browser.new_driver()
        self.addCleanup(session.driver.quit)
        session.log_in(*OPERATOR)
        return session

    def test_a_provider_registers_resumes_submits_and_is_approved_in_the_operators_browser(self):
        """Proves the provider's wizard end to end: 服务商注册 preselects the role, the account step
        needs the SMS code, 企业信息 saved in part survives a logout, the rest (scopes, industries,
        the revenues in 亿元) is saved, the licence step leads to 提交认证 (no survey), 提交 shows 审核中;
        the operator approves it on the approval page, which shows the provider's details; the
        provider's menu then has 商品管理 and 我的企业 (no 企业注册) and 我的企业 shows its details."""
        self.assertTrue(SERVER_LOG, "ops/browser-test names the server's log (VOUCHER_SERVER_LOG)")
        self.open("/register")
        self.click_and_load(self.wait_for("#start-provider-registration"))
        self.wait_for("#register-form")
        self.assertTrue(self.driver.find_element(By.ID, "role-provider").is_selected())
        self.fill("username", USERNAME)
        self.fill("phone", PHONE)
        self.click_and_load("#send-code")
        self.wait_for("#register-notice")
        self.assertTrue(self.driver.find_element(By.ID, "role-provider").is_selected(), "the role is kept")
        code = WebDriverWait(self.driver, browser.WAIT_S).until(lambda _: sms_code(PHONE))
        self.fill("sms-code", code)
        self.fill("password", PASSWORD)
        self.fill("password-confirmation", PASSWORD)
        self.driver.find_element(By.ID, "consent").click()
        self.screenshot("provider-register-account", phone=True)
        self.click_and_load("#register-next")

        # 企业信息, saved in part.
        self.wait_for("#registration-details")
        self.assertIn("企业信息", self.text("#wizard-steps"))
        self.assertNotIn("需求调研", self.text("#wizard-steps"))
        self.fill("f-name", NAME)
        self.fill("f-unifiedSocialCreditCode", "91440300MA5F00001A")
        self.fill("f-contactName", "孙七")
        self.driver.find_element(By.ID, "f-serviceScopes-cloud_adoption").click()
        self.click_and_load("#save")
        self.wait_for("#saved-notice")

        # Leave and come back: the draft is on the server.
        self.click_and_load("#logout-form button")
        self.wait_for("#login-form")
        self.log_in(USERNAME, PASSWORD)
        self.open("/workbench/registration/details")
        self.wait_for("#registration-details")
        self.assertEqual(NAME, self.value("f-name"))
        self.assertTrue(self.driver.find_element(By.ID, "f-serviceScopes-cloud_adoption").is_selected())

        for element_id, text in {
            "f-contactPhone": "010-66666666", "f-coreProducts": "诊断咨询与上云方案", "f-servedIndustries": "制造业、纺织业",
            "f-industrialCustomerCount": "35", "f-operatingSince": "2016-01-01", "f-revenue2020": "0.5", "f-revenue2021": "0.75",
            "f-revenue2022": "1.2", "f-industrialSalesAverageFen": "3000", "f-salesAverageFen": "5000.5",
            "f-solutionSalesSharePercent": "40", "f-industry": "软件和信息技术服务业",
        }.items():
            self.fill(element_id, text)
        self.driver.find_element(By.ID, "f-serviceScopes-diagnostic_consulting").click()
        self.screenshot("provider-registration-details", phone=True)
        self.click_and_load("#next")

        # The licence, then 提交认证 (no survey).
        self.wait_for("#registration-licence")
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as image:
            image.write(PNG)
        try:
            self.driver.find_element(By.ID, "licence").send_keys(image.name)
            self.click_and_load("#next")
        finally:
            os.unlink(image.name)
        self.wait_for("#registration-submit")
        self.assertFalse(self.driver.find_elements(By.ID, "missing"), "nothing is missing")
        self.click_and_load("#submit")
        self.wait_for("#under-review")
        self.assertEqual("审核中", self.text("#certification-state"))
        self.screenshot("provider-registration-under-review", phone=True)

        # The operator, in its own browser, approves it on the approval page.
        status, mine = api("GET", "/v1/account/me", token=api_token(USERNAME, PASSWORD))
        self.assertEqual(200, status, mine)
        status, waiting = api("GET", "/v1/approvals/waiting?pageSize=100", token=api_token(*OPERATOR))
        self.assertEqual(200, status, waiting)
        ids = [item["id"] for item in waiting["items"] if item["subjectId"] == mine["organisationId"]]
        self.assertEqual(1, len(ids), waiting)
        operator = self.operator_session()
        operator.open("/workbench/inbox/" + ids[0])
        operator.wait_for("#subject-registration")
        self.assertEqual(NAME, operator.text("#subject-org-name"))
        subject = operator.text("#subject-registration")
        for expected in ("服务商", "诊断咨询、上云用云", "0.75 亿元", "5000.5 万元"):
            self.assertIn(expected, subject)
        operator.wait_for("#thumb-licence-1 img")
        operator.screenshot("approval-provider-registration", phone=True)
        operator.click_and_load("#approve")
        operator.wait_for_text("#approval-notice", "已审批通过")

        # The provider's workbench and 我的企业.
        self.open("/workbench")
        menu = self.wait_for_text("#side-menu", "商品管理")
        self.assertIn("我的企业", menu)
        self.assertNotIn("企业注册", menu)
        self.open("/workbench/organisation")
        self.wait_for("#organisation-page")
        self.assertEqual("已认证", self.text("#org-certification"))
        self.assertEqual(NAME, self.text("#basic-name"))
        self.assertEqual("诊断咨询、上云用云", self.text("#basic-serviceScopes"))
        self.assertEqual("制造业、纺织业", self.text("#basic-servedIndustries"))
        self.assertEqual("1.2 亿元", self.text("#basic-revenue2022"))
        self.assertFalse(self.driver.find_elements(By.ID, "diagnosis-info"), "providers have no demand survey")
        self.screenshot("provider-my-organisation", phone=True)
