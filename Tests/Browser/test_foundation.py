"""The web foundation in a real browser (issue 16): login to 工作台, CSRF, escaping, menu
permissions of a sub-account, and an expired session sent to the login page and back."""
import unittest

from selenium.webdriver.common.by import By

import browser
from browser import BASE_URL, ENTERPRISE, BrowserTest

SUB_ACCOUNT = ("clerk_vouchers", "Clerk#2026x")


class FoundationTests(BrowserTest):
    def test_login_by_password_lands_on_the_workbench(self):
        """Proves the login form leads to 工作台 with the enterprise's menu and certification."""
        self.open("/login")
        self.wait_for("#login-form")
        self.screenshot("login", phone=True)
        self.log_in(*ENTERPRISE)
        self.assertIn("demo_enterprise", self.text("#current-user"))
        self.assertEqual("已认证", self.text("#certification"))
        self.assertTrue(self.text("#organisation"))  # the summary of GET /v1/workbench, on the page
        self.assertTrue(self.text("#inbox-waiting").isdigit())
        menu = self.text("#side-menu")
        for label in ("工作台", "订单管理", "服务券查询"):
            self.assertIn(label, menu)
        self.screenshot("workbench", phone=True)

    def test_a_form_posted_without_its_csrf_token_is_refused(self):
        """Proves the logout form without its hidden CSRF field is answered with the 403 page and
        the session stays live."""
        self.log_in(*ENTERPRISE)
        self.driver.execute_script("document.querySelector('#logout-form input[name=csrf]').remove()")
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#logout-form button"))
        self.wait_for("#error-page")
        self.assertIn("403", self.text("#error-page h1"))
        self.assertIn("CSRF", self.text("#error-reason"))
        self.screenshot("csrf-refused")
        self.open("/workbench")
        self.wait_for("#workbench-home")

    def test_a_script_typed_into_a_text_field_renders_as_text(self):
        """Proves a <script> typed into the catalogue search and into the login username is shown
        as the typed text and never runs."""
        attack = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
        self.open("/products")
        field = self.wait_for("#q")
        field.send_keys(attack)
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "#product-search button"))
        self.wait_for("#search-term")
        self.assertEqual(attack, self.text("#search-term"))
        self.assertEqual(attack, self.driver.find_element(By.ID, "q").get_attribute("value"))
        self.assertIsNone(self.driver.execute_script("return window.__pwned"))
        self.screenshot("products-escaped")
        short = "<script>window.__pwned = 3</script>'\""
        self.open("/login")
        self.log_in(short, "Wrong#2026x", then="#password-error")
        self.assertEqual(short, self.driver.find_element(By.ID, "username").get_attribute("value"))
        self.assertIsNone(self.driver.execute_script("return window.__pwned"))
        self.screenshot("login-error", phone=True)

    def test_a_sub_account_without_a_menu_sees_neither_the_menu_nor_the_page(self):
        """Proves a sub-account granted only 服务券 has no 订单管理 in its menu and gets the 403 page
        when it opens the orders page anyway (the JSON API's MenuPolicy decides)."""
        token = browser.api_token(*ENTERPRISE)
        status, body = browser.api("POST", "/v1/subaccounts", {
            "username": SUB_ACCOUNT[0], "phone": "13800000777", "password": SUB_ACCOUNT[1],
            "passwordConfirmation": SUB_ACCOUNT[1], "permissions": ["vouchers"]}, token=token)
        self.assertIn(status, (201, 409), body)
        self.log_in(*SUB_ACCOUNT)
        menu = self.text("#side-menu")
        self.assertIn("服务券查询", menu)
        self.assertNotIn("订单管理", menu)
        self.open("/workbench/orders")
        self.wait_for("#error-page")
        self.assertIn("403", self.text("#error-page h1"))
        self.screenshot("forbidden-page", phone=True)

    def test_an_expired_session_goes_to_the_login_page_and_back(self):
        """Proves a session idle past its timeout sends the page to the login form (已过期) with
        `next`, and logging in returns to that page. The server's session clock is moved on through
        the test-only web.clockOffsetFile, so nothing waits."""
        self.assertTrue(browser.CLOCK_FILE, "ops/browser-test sets VOUCHER_WEB_CLOCK_FILE")
        self.log_in(*ENTERPRISE)
        try:
            with open(browser.CLOCK_FILE, "w") as clock:
                clock.write("3600\n")
            self.open("/workbench/vouchers?page=1")
            self.wait_for("#expired-notice")
            self.assertIn("next=%2Fworkbench%2Fvouchers", self.driver.current_url)
            self.screenshot("session-expired", phone=True)
            self.log_in(*ENTERPRISE, then="#voucher-list")
            self.assertTrue(self.driver.current_url.startswith(BASE_URL + "/workbench/vouchers"))
        finally:
            with open(browser.CLOCK_FILE, "w") as clock:
                clock.write("0\n")


if __name__ == "__main__":
    unittest.main()
