"""Shared parts of the browser tests: one headless Chromium per test class, the server's address
(from ops/browser-test), screenshots at desktop and phone width, the demo accounts, and calls to
the JSON API for setting up what the pages then show.

Nothing here waits for time to pass: every wait is WebDriverWait on a condition of the page.
"""
import json
import os
import re
import unittest
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("VOUCHER_WEB_URL", "http://127.0.0.1:28080")
SCREENSHOT_DIR = os.environ.get("VOUCHER_SCREENSHOT_DIR", ".local/test/screenshots")
CLOCK_FILE = os.environ.get("VOUCHER_WEB_CLOCK_FILE", "")
# The server's log (ops/browser-test), where the development SMS sender writes its codes.
SERVER_LOG = os.environ.get("VOUCHER_SERVER_LOG", "")
# A bound on each wait for the page (a busy 2-core CI machine), never a pause.
WAIT_S = 30
ENTERPRISE = ("demo_enterprise", "Enterprise#2026")


def new_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    service = webdriver.ChromeService(executable_path="/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def sms_code(phone):
    """The last code the development SMS sender logged for `phone` (the server's log), or None."""
    if not SERVER_LOG or not os.path.exists(SERVER_LOG):
        return None
    with open(SERVER_LOG, encoding="utf-8", errors="replace") as log:
        codes = [match.group(1) for line in log if phone in line for match in [re.search(r"sms\.code=(\d{6})", line)] if match]
    return codes[-1] if codes else None


def api(method, path, body=None, token=None, headers=None):
    """One JSON API call; answers (status, parsed body)."""
    request = urllib.request.Request(BASE_URL + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=WAIT_S) as answer:
            text = answer.read().decode()
            return answer.status, (json.loads(text) if text else {})
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode() or "{}")


def api_token(username, password):
    status, body = api("POST", "/v1/auth/login", {"username": username, "password": password})
    assert status == 200, body
    return body["accessToken"]


def page_left(html):
    """Whether the page whose <html> element this is has been replaced. Chromium answers a question
    about an element of a page it is tearing down either as a stale element or, mid-navigation, as
    an inspector error ("Node with given id does not belong to the document"): both mean gone."""
    try:
        html.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


class BrowserTest(unittest.TestCase):
    """A test class with one browser; every test starts without cookies."""

    @classmethod
    def setUpClass(cls):
        cls.driver = new_driver()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def setUp(self):
        self.driver.get(BASE_URL + "/static/app.css")
        self.driver.delete_all_cookies()

    def open(self, path):
        self.driver.get(BASE_URL + path)

    def wait_for(self, css):
        return WebDriverWait(self.driver, WAIT_S).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def click_and_load(self, target):
        """Clicks what follows a link or submits a form (an element, or a CSS selector for one) and
        waits until the browser has left the page it was on (its <html> is gone), so the next wait
        reads the answer and never an element of the page before it that has the same id."""
        element = self.driver.find_element(By.CSS_SELECTOR, target) if isinstance(target, str) else target
        before = self.driver.find_element(By.TAG_NAME, "html")
        element.click()
        WebDriverWait(self.driver, WAIT_S).until(lambda _: page_left(before))
        return element

    def wait_for_text(self, css, expected):
        """Waits until the element's text contains `expected` (an element replaced while it is read
        is read again) and answers the element's text."""
        WebDriverWait(self.driver, WAIT_S).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), expected))
        return self.text(css)

    def wait_for_url(self, fragment):
        WebDriverWait(self.driver, WAIT_S).until(EC.url_contains(fragment))

    def text(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def log_in(self, username, password, then="#workbench-home"):
        """Fills the login form (the page already open, or /login) and waits for `then`."""
        if "/login" not in self.driver.current_url:
            self.open("/login")
        self.wait_for("#login-form")
        self.driver.find_element(By.ID, "username").clear()
        self.driver.find_element(By.ID, "username").send_keys(username)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.click_and_load(self.driver.find_element(By.ID, "login-submit"))
        return self.wait_for(then)

    def screenshot(self, name, phone=False):
        """Saves the viewport as NAME.png, and with `phone` also at 375 px wide as NAME-375.png."""
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        self.driver.save_screenshot(os.path.join(SCREENSHOT_DIR, name + ".png"))
        if phone:
            self.driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride", {"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": True})
            try:
                width = self.driver.execute_script("return document.documentElement.clientWidth")
                self.assertLessEqual(width, 375)
                overflow = self.driver.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")
                self.assertFalse(overflow, name + " scrolls sideways at 375 px")
                self.driver.save_screenshot(os.path.join(SCREENSHOT_DIR, name + "-375.png"))
            finally:
                self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
