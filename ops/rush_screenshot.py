"""ops/rush-screenshot's browser: logs in as the watching operator, finds the newest running
campaign on 活动管理 while ops/loadtest grabs, opens its page and, once two of the page's own
one-second readings (from Redis) show the remaining stock falling, saves the screenshot and prints
the readings. Bounded: every wait has a deadline."""
import argparse
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DEADLINE_S = 600
READING_WAIT_S = 15


def number(text, kind=int):
    """A figure of the page, or None while it shows — (no reading yet)."""
    try:
        return kind(text.replace(",", ""))
    except ValueError:
        return None


def main():
    parser = argparse.ArgumentParser()
    for name in ("--url", "--username", "--password", "--out"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
    try:
        driver.get(args.url + "/login")
        driver.find_element(By.ID, "username").send_keys(args.username)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.ID, "login-submit").click()
        WebDriverWait(driver, 30).until(lambda d: "/workbench" in d.current_url and "/login" not in d.current_url)
        seen = set()
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            driver.get(args.url + "/workbench/campaigns")
            links = [row.find_element(By.TAG_NAME, "a").get_attribute("href")
                     for row in driver.find_elements(By.CSS_SELECTOR, "#operator-campaign-list tbody tr") if "进行中" in row.text]
            fresh = [link for link in links if link not in seen]
            if not fresh:
                time.sleep(0.5)  # a script beside a load test, not a test: poll the list twice a second
                continue
            link = fresh[0]
            seen.add(link)
            driver.get(link)
            lot = driver.find_element(By.CSS_SELECTOR, "#operator-lot-list tbody tr").get_attribute("data-lot")
            remaining = lambda: number(driver.find_element(By.ID, "remaining-" + lot).text)  # noqa: E731
            first = remaining()
            try:
                WebDriverWait(driver, READING_WAIT_S, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
                    lambda d: (remaining() or 0) < (first or 0) and (number(d.find_element(By.ID, "rate-" + lot).text, float) or 0) > 0)
                second = remaining()
                WebDriverWait(driver, READING_WAIT_S, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
                    lambda d: (remaining() or 0) < (second or 0))
            except TimeoutException:
                print("campaign %s: the stock did not fall within %d s; trying the next running campaign" % (link, READING_WAIT_S))
                continue
            driver.save_screenshot(args.out)
            print("campaign %s lot %s: remaining %s at load, %s, then %s; %s claims/s on the page; read at %s" % (
                link, lot, first, second, remaining(), driver.find_element(By.ID, "rate-" + lot).text,
                driver.find_element(By.ID, "live-read-at").text))
            return 0
        print("no running campaign showed its stock falling within %d s" % DEADLINE_S)
        return 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
