"""我的待办, 修改密码, 用户管理, 专家团队 and 统一搜索 in a real browser (issue 16), with the
cross-cutting checks: typed <script> renders as text, a form without its CSRF token is refused,
a sub-account without a menu sees neither the menu nor the page, a password change ends the other
session. Each page is saved at desktop and 375 px."""
import unittest
import urllib.parse

from selenium.webdriver.common.by import By

import browser
from browser import BASE_URL, ENTERPRISE, BrowserTest

OPERATOR = ("operator", "Platform#2026")
# Short enough for every field's maxlength, so what is typed is what is sent.
ATTACK = "<script>window.__pwned=1</script>'\""
PHONE_ATTACK = "<script>1</script>"


def apply_lots_with_two_applications(name):
    """An operator's published campaign with two apply-mode lots, and demo_enterprise's
    application to each through the JSON API: two 服务券申请 waiting for the operator."""
    operator = browser.api_token(*OPERATOR)
    lot = {"kind": "diagnostic", "faceValueFen": 1000000, "stock": 10, "perEnterpriseLimit": 1, "mode": "apply", "validityDays": 180}
    status, campaign = browser.api("POST", "/v1/campaigns", {
        "name": name, "startsAt": "2026-01-01T09:00:00+08:00", "endsAt": "2030-01-01T09:00:00+08:00", "lots": [lot, dict(lot)]},
        token=operator)
    assert status == 201, campaign
    status, body = browser.api("POST", "/v1/campaigns/%s/publish" % campaign["id"], token=operator)
    assert status == 200, body
    enterprise = browser.api_token(*ENTERPRISE)
    for each in campaign["lots"]:
        status, body = browser.api("POST", "/v1/campaigns/%s/lots/%s/applications" % (campaign["id"], each["id"]), token=enterprise)
        assert status == 201, body


def create_sub_account(username, phone, password, permissions):
    """A sub-account of demo_enterprise through the JSON API."""
    status, body = browser.api("POST", "/v1/subaccounts", {
        "username": username, "phone": phone, "password": password, "passwordConfirmation": password, "permissions": permissions},
        token=browser.api_token(*ENTERPRISE))
    assert status == 201, body


class AccountPagesTests(BrowserTest):
    def second_browser(self):
        """Another browser with its own cookies (a second session), closed after the test."""
        other = browser.new_driver()
        self.addCleanup(other.quit)
        return other

    def log_in_other(self, driver, username, password, then="#workbench-home"):
        driver.get(BASE_URL + "/login")
        browser.WebDriverWait(driver, browser.WAIT_S).until(
            browser.EC.presence_of_element_located((By.ID, "login-form")))
        driver.find_element(By.ID, "username").send_keys(username)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.ID, "login-submit").click()
        return self.wait_in(driver, then)

    def wait_in(self, driver, css):
        return browser.WebDriverWait(driver, browser.WAIT_S).until(browser.EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def type_into(self, element_id, text):
        field = self.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(text)

    def configure_link(self, username):
        """The 应用内权限配置 link in the row of `username` on 用户管理."""
        return self.driver.find_element(By.XPATH, "//table[@id='user-list']//tr[td[.='%s']]//a" % username)

    def assert_not_run(self):
        self.assertIsNone(self.driver.execute_script("return window.__pwned"))

    def test_the_main_account_manages_a_sub_account_and_its_menus(self):
        """Proves 用户管理 creates a sub-account with the ticked menus (no 订单管理); logged in as it in
        a second browser, it sees neither the 订单管理 menu nor the page (403 page) nor 用户管理;
        granting 订单管理 shows the menu at once, and deleting the sub-account ends its session."""
        self.log_in(*ENTERPRISE)
        self.assertIn("用户管理", self.text("#side-menu"))
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "用户管理"))
        self.wait_for("#user-list")
        headers = self.text("#user-list thead")
        for column in ("用户名", "姓名", "手机号", "角色", "创建时间", "操作"):
            self.assertIn(column, headers)
        self.click_and_load(self.driver.find_element(By.ID, "add-user"))
        self.wait_for("#user-form")
        self.screenshot("users-new", phone=True)
        self.type_into("new-username", "h7_clerk_inbox")
        self.type_into("new-phone", "13900001001")
        self.type_into("new-user-password", "Clerk#2026y")
        self.type_into("new-user-password-confirmation", "Clerk#2026y")
        self.driver.find_element(By.NAME, "perm_inbox").click()
        self.driver.find_element(By.NAME, "perm_vouchers").click()
        self.click_and_load(self.driver.find_element(By.ID, "user-submit"))
        self.wait_for("#users-notice")
        self.assertIn("新增成功", self.text("#users-notice"))
        self.assertIn("h7_clerk_inbox", self.text("#user-list"))
        self.screenshot("users", phone=True)

        other = self.second_browser()
        self.log_in_other(other, "h7_clerk_inbox", "Clerk#2026y")
        menu = other.find_element(By.ID, "side-menu").text
        self.assertIn("我的待办", menu)
        self.assertNotIn("订单管理", menu)
        self.assertNotIn("用户管理", menu)
        for path in ("/workbench/orders", "/workbench/users"):
            other.get(BASE_URL + path)
            self.assertIn("403", self.wait_in(other, "#error-page h1").text)

        self.click_and_load(self.configure_link("h7_clerk_inbox"))
        self.wait_for("#permissions-form")
        self.screenshot("users-edit", phone=True)
        self.driver.find_element(By.NAME, "perm_orders").click()
        self.click_and_load(self.driver.find_element(By.ID, "permissions-submit"))
        self.assertIn("配置权限成功", self.wait_for("#users-notice").text)
        other.get(BASE_URL + "/workbench")
        self.assertIn("订单管理", self.wait_in(other, "#side-menu").text)

        self.click_and_load(self.configure_link("h7_clerk_inbox"))
        self.wait_for("#delete-form")
        self.click_and_load(self.driver.find_element(By.ID, "delete-user"))
        self.assertIn("用户已删除", self.wait_for("#users-notice").text)
        self.assertNotIn("h7_clerk_inbox", self.text("#user-list"))
        other.get(BASE_URL + "/workbench")
        self.wait_in(other, "#login-form")

    def test_a_form_posted_without_its_csrf_token_is_refused_and_changes_nothing(self):
        """Proves 添加用户 and 修改密码 without their hidden CSRF field answer the 403 page: the
        sub-account is not created and the old password still logs in."""
        self.log_in(*ENTERPRISE)
        self.open("/workbench/users/new")
        self.wait_for("#user-form")
        self.type_into("new-username", "h7_no_csrf_user")
        self.type_into("new-phone", "13900001002")
        self.type_into("new-user-password", "Clerk#2026y")
        self.type_into("new-user-password-confirmation", "Clerk#2026y")
        self.driver.execute_script("document.querySelector('#user-form input[name=csrf]').remove()")
        self.click_and_load(self.driver.find_element(By.ID, "user-submit"))
        self.assertIn("403", self.wait_for("#error-page h1").text)
        self.assertIn("CSRF", self.text("#error-reason"))
        status, body = browser.api("GET", "/v1/subaccounts?pageSize=100", token=browser.api_token(*ENTERPRISE))
        self.assertEqual(200, status)
        self.assertNotIn("h7_no_csrf_user", [item["username"] for item in body["items"]])

        self.open("/workbench/password")
        self.wait_for("#password-form")
        self.type_into("current-password", ENTERPRISE[1])
        self.type_into("new-password", "Changed#2026z")
        self.type_into("new-password-confirmation", "Changed#2026z")
        self.driver.execute_script("document.querySelector('#password-form input[name=csrf]').remove()")
        self.click_and_load(self.driver.find_element(By.ID, "password-submit"))
        self.assertIn("403", self.wait_for("#error-page h1").text)
        browser.api_token(*ENTERPRISE)  # the old password still works

    def test_changing_the_password_in_one_session_ends_the_other(self):
        """Proves 修改密码 shows the JSON route's refusals next to their fields, and after a change
        the other browser's session is over (login page) while this one carries on."""
        create_sub_account("h7_pw_changer", "13900001003", "Before#2026a", ["inbox"])
        other = self.second_browser()
        self.log_in_other(other, "h7_pw_changer", "Before#2026a")
        self.log_in("h7_pw_changer", "Before#2026a")
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "修改密码"))
        self.wait_for("#password-form")
        self.screenshot("password", phone=True)

        self.type_into("current-password", "Wrong#2026aa")
        self.type_into("new-password", "After#2026bb")
        self.type_into("new-password-confirmation", "After#2026bb")
        self.click_and_load(self.driver.find_element(By.ID, "password-submit"))
        self.assertIn("原密码不正确", self.wait_for("#current-password-error").text)
        self.type_into("current-password", "Before#2026a")
        self.type_into("new-password", "weakweakweak")
        self.type_into("new-password-confirmation", "weakweakweak")
        self.click_and_load(self.driver.find_element(By.ID, "password-submit"))
        self.assertIn("3 种", self.wait_for("#new-password-error").text)
        self.type_into("current-password", "Before#2026a")
        self.type_into("new-password", "After#2026bb")
        self.type_into("new-password-confirmation", "After#2026cc")
        self.click_and_load(self.driver.find_element(By.ID, "password-submit"))
        self.assertIn("不一致", self.wait_for("#new-password-confirmation-error").text)
        self.screenshot("password-error", phone=True)

        self.type_into("current-password", "Before#2026a")
        self.type_into("new-password", "After#2026bb")
        self.type_into("new-password-confirmation", "After#2026bb")
        self.click_and_load(self.driver.find_element(By.ID, "password-submit"))
        self.assertIn("其他浏览器和设备上的登录已全部退出", self.wait_for("#password-notice").text)
        self.screenshot("password-changed", phone=True)

        other.get(BASE_URL + "/workbench")
        self.wait_in(other, "#login-form")
        self.open("/workbench")
        self.wait_for("#workbench-home")
        browser.api_token("h7_pw_changer", "After#2026bb")

    def test_the_inbox_shows_and_decides_an_item_created_through_the_json_api(self):
        """Proves 我的待办 lists two 服务券申请 filed through the JSON API under 我的申请 (the
        enterprise) and 待我审批 (the operator, found by the 申请名称 filter) with the guide's columns;
        驳回 without a reason is refused next to the field, with one it rejects (the reason shown
        as text), 通过 approves, and both are then under 历史审批."""
        name = "h7 我的待办测试"
        apply_lots_with_two_applications(name)
        self.log_in(*ENTERPRISE)
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "我的待办"))
        self.wait_for("#inbox-list")
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "我的申请"))
        self.wait_for("#inbox-tabs a[aria-current='page'][href*='mine']")
        self.assertIn(name, self.text("#inbox-list tbody"))
        self.assertIn("演示制造有限公司", self.text("#inbox-list tbody"))
        headers = self.text("#inbox-list thead")
        for column in ("申请名称", "申请类型", "企业名称", "申请人", "状态", "创建时间"):
            self.assertIn(column, headers)
        self.screenshot("inbox-mine", phone=True)

        self.driver.delete_all_cookies()
        self.log_in(*OPERATOR)
        self.open("/workbench/inbox")
        self.wait_for("#inbox-filters")
        self.type_into("title", name)
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#inbox-filters button"))
        self.wait_for("#inbox-list tbody tr")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#inbox-list tbody tr")
        self.assertEqual(2, len(rows))
        self.assertIn("服务券申请", rows[0].text)
        self.screenshot("inbox", phone=True)

        self.click_and_load(rows[0].find_element(By.LINK_TEXT, "详情"))
        self.wait_for("#decision-form")
        self.click_and_load(self.driver.find_element(By.ID, "reject"))
        self.assertIn("驳回时请填写原因", self.wait_for("#reason-error").text)
        self.screenshot("approval", phone=True)
        self.type_into("reason", ATTACK)
        self.click_and_load(self.driver.find_element(By.ID, "reject"))
        self.assertIn("已驳回", self.wait_for("#approval-notice").text)
        self.assertEqual("已驳回", self.text("#approval-status"))
        self.assertIn(ATTACK, self.text("#decision-list"))
        self.assert_not_run()
        self.screenshot("approval-decided", phone=True)

        self.open("/workbench/inbox?title=" + urllib.parse.quote(name))
        self.wait_for("#inbox-list tbody tr")
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#inbox-list tbody tr a"))
        self.wait_for("#decision-form")
        self.click_and_load(self.driver.find_element(By.ID, "approve"))
        self.assertEqual("审批通过", self.wait_for("#approval-status").text)

        self.open("/workbench/inbox?tab=history&title=" + urllib.parse.quote(name))
        self.wait_for("#inbox-list")
        self.assertEqual(2, len(self.driver.find_elements(By.CSS_SELECTOR, "#inbox-list tbody tr")))

    def test_a_script_typed_into_every_text_field_renders_as_text(self):
        """Proves a <script> typed into the text fields of 我的待办's filters, 添加用户, 专家团队's
        filters and 统一搜索 comes back as the typed text and never runs (the decision reason is
        checked in the inbox test)."""
        self.log_in(*ENTERPRISE)
        self.open("/workbench/inbox")
        self.wait_for("#inbox-filters")
        self.type_into("title", ATTACK)
        self.type_into("applicant", ATTACK)
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#inbox-filters button"))
        self.wait_for("#inbox-list")
        for field in ("title", "applicant"):
            self.assertEqual(ATTACK, self.driver.find_element(By.ID, field).get_attribute("value"))
        self.assert_not_run()

        self.open("/workbench/users/new")
        self.wait_for("#user-form")
        self.type_into("new-username", ATTACK)
        self.type_into("new-phone", PHONE_ATTACK)
        self.type_into("new-email", ATTACK)
        self.type_into("new-user-password", "Clerk#2026y")
        self.type_into("new-user-password-confirmation", "Clerk#2026y")
        self.click_and_load(self.driver.find_element(By.ID, "user-submit"))
        self.wait_for("#new-username-error")
        self.assertEqual(ATTACK, self.driver.find_element(By.ID, "new-username").get_attribute("value"))
        self.assertIn("仅支持英文、数字、下划线", self.text("#new-username-error"))
        self.assert_not_run()
        self.screenshot("users-new-error", phone=True)
        # The phone and e-mail come back as typed too (each refused in its turn).
        self.type_into("new-username", "h7_escape_user")
        self.type_into("new-user-password", "Clerk#2026y")
        self.type_into("new-user-password-confirmation", "Clerk#2026y")
        self.click_and_load(self.driver.find_element(By.ID, "user-submit"))
        self.wait_for("#new-phone-error")
        self.assertEqual(PHONE_ATTACK, self.driver.find_element(By.ID, "new-phone").get_attribute("value"))
        self.assertEqual(ATTACK, self.driver.find_element(By.ID, "new-email").get_attribute("value"))
        self.assert_not_run()

        self.open("/experts")
        self.wait_for("#expert-search")
        self.type_into("expert-q", ATTACK)
        self.type_into("expert-field", ATTACK)
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#expert-search button"))
        self.wait_for("#expert-list")
        self.assertEqual(ATTACK, self.driver.find_element(By.ID, "expert-q").get_attribute("value"))
        self.assertEqual(ATTACK, self.driver.find_element(By.ID, "expert-field").get_attribute("value"))
        self.assert_not_run()

        self.open("/search")
        self.wait_for("#unified-search")
        self.type_into("search-q", ATTACK)
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#unified-search button"))
        self.wait_for("#search-term")
        self.assertEqual(ATTACK, self.text("#search-term"))
        self.assertEqual(ATTACK, self.driver.find_element(By.ID, "search-q").get_attribute("value"))
        self.assert_not_run()


class PortalExpertsTests(BrowserTest):
    def test_experts_list_detail_and_the_unified_search(self):
        """Proves 专家团队 lists the demo provider's experts with photos and filters by 领域; a
        detail shows the photo and no phone unless public; 统一搜索 from 首页 shows products,
        政策资讯 and experts, each linking to its full list."""
        self.open("/")
        self.wait_for("#home-search")
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "专家团队"))
        self.wait_for("#expert-list li")
        names = self.text("#expert-list")
        self.assertIn("王建国", names)
        self.assertIn("李敏", names)
        self.screenshot("experts", phone=True)
        self.driver.find_element(By.ID, "expert-field").send_keys("电子信息")
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#expert-search button"))
        self.wait_for("#expert-list li")
        self.assertEqual(1, len(self.driver.find_elements(By.CSS_SELECTOR, "#expert-list li")))
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "李敏"))
        photo = self.wait_for("#expert-photo")
        self.assertTrue(self.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", photo))
        self.assertEqual("13800000009", self.text("#expert-phone"))  # marked public
        self.screenshot("expert", phone=True)
        self.open("/experts?q=" + urllib.parse.quote("王建国"))
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "王建国"))
        self.wait_for("#expert-name")
        self.assertEqual([], self.driver.find_elements(By.ID, "expert-phone"))
        self.assertNotIn("13800000009", self.driver.page_source)

        self.open("/")
        self.driver.find_element(By.ID, "home-q").send_keys("服务券")
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#home-search button"))
        self.wait_for("#search-news")
        self.assertIn("/search?q=", self.driver.current_url)
        self.assertIn("服务券申领指南", self.text("#search-news"))
        for section in ("#search-products", "#search-news", "#search-experts"):
            self.assertTrue(self.driver.find_elements(By.CSS_SELECTOR, section + " a[id^='all-']"))
        self.screenshot("search", phone=True)
        self.open("/search?q=" + urllib.parse.quote("李敏"))
        self.assertIn("李敏", self.wait_for("#search-experts").text)
        self.click_and_load(self.driver.find_element(By.ID, "all-experts"))
        self.wait_for("#expert-list li")
        self.assertIn("李敏", self.text("#expert-list"))


if __name__ == "__main__":
    unittest.main()
