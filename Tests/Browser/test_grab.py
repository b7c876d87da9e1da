"""抢券 on the campaign page at the opening (issue 16: "the grab page must survive the opening
second"): the countdown on the server's clock, the button enabled at the opening instant, a double
click that grabs exactly once, the limit's reason on the next click, and a sold-out lot; screenshots
before and after at desktop and 375 px. Every wait is a WebDriverWait on the page."""
import email.utils
import unittest
import urllib.request
from datetime import datetime, timedelta, timezone

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import browser
from browser import ENTERPRISE, BrowserTest

OPERATOR = ("operator", "Platform#2026")
# How far in the server's future the campaign opens: enough to open its page and take the
# "before" screenshots on a busy machine, short enough to keep the test quick.
OPENS_IN_S = 15


def server_now():
    """The server's clock, from the Date header of /health (whole seconds)."""
    with urllib.request.urlopen(browser.BASE_URL + "/health", timeout=browser.WAIT_S) as answer:
        date = answer.headers["Date"]
    # The server runs on this machine: without a Date header its clock is this one.
    return email.utils.parsedate_to_datetime(date) if date else datetime.now(timezone.utc)


def rfc3339(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def published_campaign(operator, name, starts_at, lots):
    status, campaign = browser.api("POST", "/v1/campaigns", {
        "name": name, "startsAt": rfc3339(starts_at), "endsAt": "2030-01-01T09:00:00+08:00", "lots": lots}, token=operator)
    assert status == 201, campaign
    status, body = browser.api("POST", "/v1/campaigns/%s/publish" % campaign["id"], token=operator)
    assert status == 200, body
    return campaign["id"], [lot["id"] for lot in campaign["lots"]]


def grab_lot(stock, limit=1):
    return {"kind": "diagnostic", "faceValueFen": 1500000, "stock": stock, "perEnterpriseLimit": limit, "mode": "grab", "validityDays": 180}


def remaining(campaign, lot, token):
    status, body = browser.api("GET", "/v1/campaigns/" + campaign, token=token)
    assert status == 200, body
    return [item for item in body["lots"] if item["id"] == lot][0]["remaining"]


class GrabTests(BrowserTest):
    def test_a_double_click_at_the_opening_grabs_once_and_the_next_click_shows_the_limit(self):
        """Proves the countdown waits for the server's opening instant with 抢券 disabled, enables it
        then, a double click grabs exactly one voucher (the JSON API's remaining stock falls by one),
        the next click shows the per-enterprise limit in Chinese, and a sold-out lot shows 已抢完."""
        operator = browser.api_token(*OPERATOR)
        enterprise = browser.api_token(*ENTERPRISE)
        self.log_in(*ENTERPRISE)
        opens = server_now() + timedelta(seconds=OPENS_IN_S)
        campaign, (lot,) = published_campaign(operator, "开门抢券 · 浏览器测试", opens, [grab_lot(5)])

        self.open("/campaigns/" + campaign)
        button = self.wait_for("#grab-" + lot)
        state = self.driver.find_element(By.ID, "countdown").get_attribute("data-state")
        countdown = self.text("#countdown")
        enabled = button.is_enabled()
        # How long logging in and opening the page took is not ours to assume: the page was read
        # before this second look at the server's clock, so if the server still had at least 2 s
        # (the Date header's whole-second rounding, and the page's own offset) before the opening
        # then, the page must have been waiting. Else the opening passed while a busy machine
        # opened the page, and only what follows can be checked.
        if server_now() + timedelta(seconds=2) < opens:
            self.assertEqual(state, "waiting")
            self.assertIn("距开始还有", countdown)
            self.assertFalse(enabled, "抢券 is disabled before the opening")
            self.screenshot("grab-before", phone=True)
        else:
            print("test_grab: the opening passed while the page loaded; the before-opening checks were not possible")

        # The button enables itself at the opening instant (the page's clock is the server's).
        WebDriverWait(self.driver, browser.WAIT_S).until(EC.element_to_be_clickable((By.ID, "grab-" + lot)))
        self.assertEqual(self.driver.find_element(By.ID, "countdown").get_attribute("data-state"), "open")
        self.assertEqual(self.text("#campaign-status"), "进行中", "the status follows the opening without a reload")
        ActionChains(self.driver).double_click(self.driver.find_element(By.ID, "grab-" + lot)).perform()
        result = "#result-" + lot
        WebDriverWait(self.driver, browser.WAIT_S).until(lambda d: "抢券成功" in d.find_element(By.CSS_SELECTOR, result).text)
        self.assertEqual(remaining(campaign, lot, enterprise), 4, "a double click grabs exactly one voucher")

        WebDriverWait(self.driver, browser.WAIT_S).until(EC.element_to_be_clickable((By.ID, "grab-" + lot))).click()
        WebDriverWait(self.driver, browser.WAIT_S).until(lambda d: "限领" in d.find_element(By.CSS_SELECTOR, result).text)
        self.assertEqual(remaining(campaign, lot, enterprise), 4, "the limit refuses the second grab")
        self.assertIn("/campaigns/" + campaign, self.driver.current_url, "the page never reloads")
        self.screenshot("grab-after", phone=True)

    def test_a_sold_out_lot_shows_sold_out(self):
        """Proves a lot whose last voucher went (through the JSON API) shows 已抢完 and cannot be clicked."""
        operator = browser.api_token(*OPERATOR)
        enterprise = browser.api_token(*ENTERPRISE)
        campaign, (lot,) = published_campaign(operator, "已抢完 · 浏览器测试", server_now() - timedelta(days=1), [grab_lot(1)])
        status, body = browser.api("POST", "/v1/campaigns/%s/lots/%s/grab" % (campaign, lot), token=enterprise)
        self.assertEqual(status, 201, body)
        self.log_in(*ENTERPRISE)
        self.open("/campaigns/" + campaign)
        button = self.wait_for("#grab-" + lot)
        self.assertEqual(button.text, "已抢完")
        self.assertFalse(button.is_enabled())
        self.assertIn("已抢完", self.text("#lot-%s .remaining" % lot))


class VoucherDetailTests(BrowserTest):
    def test_a_grabbed_voucher_has_its_detail_page(self):
        """Proves 服务券查询 links each voucher to its detail (编号, 余额, 使用记录) once the claim
        sink stored the grab, and another organisation's or an unknown voucher is the 404 page."""
        operator = browser.api_token(*OPERATOR)
        enterprise = browser.api_token(*ENTERPRISE)
        campaign, (lot,) = published_campaign(operator, "服务券详情 · 浏览器测试", server_now() - timedelta(days=1), [grab_lot(3)])
        status, grabbed = browser.api("POST", "/v1/campaigns/%s/lots/%s/grab" % (campaign, lot), token=enterprise)
        self.assertEqual(status, 201, grabbed)
        self.log_in(*ENTERPRISE)
        self.open("/workbench/vouchers")
        link = "a[href='/workbench/vouchers/%s']" % grabbed["voucherId"]

        def listed(driver):
            # The claim sink stores the grab in PostgreSQL on its own schedule: reload until it is there.
            driver.refresh()
            return driver.find_elements(By.CSS_SELECTOR, link)

        WebDriverWait(self.driver, browser.WAIT_S).until(listed)[0].click()
        self.wait_for("#voucher-detail")
        self.assertEqual(self.text("#voucher-id"), grabbed["voucherId"])
        self.assertEqual(self.text("#voucher-available"), "¥15,000.00")
        self.assertIn("使用记录", self.text("main"))
        self.screenshot("voucher-detail", phone=True)
        self.open("/workbench/vouchers/lot_00000000000000000000000000-1")
        self.wait_for("#error-page")
        self.assertIn("404", self.text("#error-page h1"))


class NotFoundTests(BrowserTest):
    def test_an_unknown_page_is_the_html_404_page(self):
        """Proves an unknown path outside /v1 answers the readable 404 page."""
        self.open("/no-such-page")
        self.wait_for("#error-page")
        self.assertIn("404", self.text("#error-page h1"))
        self.screenshot("not-found", phone=True)


if __name__ == "__main__":
    unittest.main()
