"""The first pages in a real browser: the portal (首页, 政策资讯, 产品和解决方案, 注册) and the
enterprise's 订单管理 and 服务券查询, each with screenshots at desktop and 375 px."""
import unittest

from selenium.webdriver.common.by import By

from browser import ENTERPRISE, BrowserTest


class PortalTests(BrowserTest):
    def test_portal_pages_show_the_guide_navigation(self):
        """Proves 首页, 政策资讯, 产品和解决方案 and 注册 render with the portal's navigation and
        their lists, readable at 375 px."""
        self.open("/")
        self.wait_for(".hero")
        nav = self.text(".portal-nav")
        for label in ("首页", "政策资讯", "产品和解决方案"):
            self.assertIn(label, nav)
        self.screenshot("portal-home", phone=True)
        self.driver.find_element(By.LINK_TEXT, "政策资讯").click()
        self.wait_for(".tabs")
        self.screenshot("portal-news", phone=True)
        self.driver.find_element(By.LINK_TEXT, "产品和解决方案").click()
        self.wait_for("#product-list")
        headers = self.text("#product-list thead")
        for column in ("方案名称", "服务商", "分类", "价格区间"):
            self.assertIn(column, headers)
        self.screenshot("portal-products", phone=True)
        self.driver.find_element(By.ID, "register-link").click()
        self.wait_for("#register-page")
        self.screenshot("portal-register")


class WorkbenchTests(BrowserTest):
    def test_orders_and_vouchers_lists_have_the_guide_columns_and_paging(self):
        """Proves 订单管理 and 服务券查询 show the guide's columns, 10 a page with the page jump."""
        self.log_in(*ENTERPRISE)
        self.driver.find_element(By.LINK_TEXT, "订单管理").click()
        self.wait_for("#order-list")
        headers = self.text("#order-list thead")
        for column in ("商品名称", "订单类型", "支付状态", "订单状态", "总价", "创建时间"):
            self.assertIn(column, headers)
        self.assertIn("10条/页", self.text(".paging"))
        self.screenshot("orders", phone=True)
        self.driver.find_element(By.LINK_TEXT, "服务券查询").click()
        self.wait_for("#voucher-list")
        headers = self.text("#voucher-list thead")
        for column in ("服务券名称", "余额", "面值", "有效期至", "状态"):
            self.assertIn(column, headers)
        self.screenshot("vouchers", phone=True)


if __name__ == "__main__":
    unittest.main()
