"""The first pages in a real browser: the portal (首页, 政策资讯, 产品和解决方案, 注册) and the
enterprise's 订单管理 and 服务券查询, each with screenshots at desktop and 375 px."""
import unittest

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser
from browser import ENTERPRISE, BrowserTest

OPERATOR = ("operator", "Platform#2026")


def published_campaign_with_one_grab():
    """An operator's published campaign (stock 50) that demo_enterprise grabbed once, through the
    JSON API; answers the campaign id."""
    operator = browser.api_token(*OPERATOR)
    status, campaign = browser.api("POST", "/v1/campaigns", {
        "name": "诊断服务券 · 浏览器测试", "startsAt": "2026-01-01T09:00:00+08:00", "endsAt": "2030-01-01T09:00:00+08:00",
        "lots": [{"kind": "diagnostic", "faceValueFen": 1500000, "stock": 50, "perEnterpriseLimit": 1, "mode": "grab",
                  "validityDays": 180}]}, token=operator)
    assert status == 201, campaign
    status, body = browser.api("POST", "/v1/campaigns/%s/publish" % campaign["id"], token=operator)
    assert status == 200, body
    enterprise = browser.api_token(*ENTERPRISE)
    status, body = browser.api("POST", "/v1/campaigns/%s/lots/%s/grab" % (campaign["id"], campaign["lots"][0]["id"]), token=enterprise)
    assert status in (200, 201), body
    return campaign["id"]


class PortalTests(BrowserTest):
    def test_portal_pages_show_the_guide_navigation(self):
        """Proves 首页, 政策资讯, 产品和解决方案, 服务券活动 (with the remaining stock after a grab) and
        注册 render with the portal's navigation and their lists, readable at 375 px."""
        self.open("/")
        self.wait_for(".hero")
        nav = self.text(".portal-nav")
        for label in ("首页", "政策资讯", "产品和解决方案"):
            self.assertIn(label, nav)
        self.screenshot("portal-home", phone=True)
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "政策资讯"))
        self.wait_for(".tabs")
        self.screenshot("portal-news", phone=True)
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "产品和解决方案"))
        self.wait_for("#product-list")
        headers = self.text("#product-list thead")
        for column in ("方案名称", "服务商", "分类", "价格区间"):
            self.assertIn(column, headers)
        self.screenshot("portal-products", phone=True)
        campaign = published_campaign_with_one_grab()
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "服务券活动"))
        self.wait_for("#campaign-list")
        self.click_and_load(self.driver.find_element(By.CSS_SELECTOR, "a[href='/campaigns/%s']" % campaign))
        self.wait_for("#lot-list")
        self.assertEqual("49", self.text("#lot-list td.remaining"))
        self.screenshot("portal-campaign", phone=True)
        self.click_and_load(self.driver.find_element(By.ID, "register-link"))
        self.wait_for("#register-page")
        self.screenshot("portal-register")


class WorkbenchTests(BrowserTest):
    def test_orders_and_vouchers_lists_have_the_guide_columns_and_paging(self):
        """Proves 订单管理 and 服务券查询 show the guide's columns, 10 a page with the page jump, and
        a grabbed voucher appears in 服务券查询 once the claim sink stored it."""
        self.log_in(*ENTERPRISE)
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "订单管理"))
        self.wait_for("#order-list")
        headers = self.text("#order-list thead")
        for column in ("商品名称", "订单类型", "支付状态", "订单状态", "总价", "创建时间"):
            self.assertIn(column, headers)
        self.assertIn("10条/页", self.text(".paging"))
        self.screenshot("orders", phone=True)
        published_campaign_with_one_grab()
        self.click_and_load(self.driver.find_element(By.LINK_TEXT, "服务券查询"))
        self.wait_for("#voucher-list")

        def voucher_listed(driver):
            # The claim sink stores the grab in PostgreSQL on its own schedule: reload until it is there.
            driver.refresh()
            return driver.find_elements(By.CSS_SELECTOR, "#voucher-list tbody tr")

        WebDriverWait(self.driver, browser.WAIT_S).until(voucher_listed)
        self.assertIn("¥15,000.00", self.text("#voucher-list tbody"))
        headers = self.text("#voucher-list thead")
        for column in ("服务券名称", "余额", "面值", "有效期至", "状态"):
            self.assertIn(column, headers)
        self.screenshot("vouchers", phone=True)


if __name__ == "__main__":
    unittest.main()
