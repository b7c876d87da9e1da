"""The listing editor's upload progress in a real browser (issue 17: case studies "with document
upload and progress"): demo_provider picks a case document of a few MB for a draft and saves it;
upload.js sends the form with XMLHttpRequest while a progress bar shows the bytes sent, and the
editor then lists the document, which the product now names."""
import os
import tempfile
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import browser
from browser import BrowserTest
from test_buy import PIXEL_PNG, PROVIDER, upload

# A PDF of about 3 MB: a header, then padding (the document kind is checked by its first bytes).
DOCUMENT_BYTES = 3 * 1024 * 1024
# Records the progress bar's values in sessionStorage, which outlives the page the upload leaves.
WATCH_PROGRESS = """
sessionStorage.removeItem('upload-values');
var bar = document.getElementById('upload-progress');
new MutationObserver(function () {
  var values = JSON.parse(sessionStorage.getItem('upload-values') || '[]');
  values.push(bar.hidden ? -1 : Number(bar.value));
  sessionStorage.setItem('upload-values', JSON.stringify(values));
}).observe(bar, {attributes: true});
"""


def draft_product(name):
    """A draft 诊断咨询 product of demo_provider whose first case study has a small document;
    answers (the product's id, that document's id)."""
    token = browser.api_token(*PROVIDER)
    image = upload("/v1/provider/product-files?kind=image", PIXEL_PNG, token)["fileId"]
    document = upload("/v1/provider/product-files?kind=document", PIXEL_PNG, token)["fileId"]
    study = {"customer": "某制造企业", "annualOutputCentiWan": 123456, "salesCentiWan": 5000, "deliveryMonths": 3,
             "documentFileId": document}
    status, product = browser.api("POST", "/v1/provider/products", {
        "name": name, "category": "diagnostic_consulting", "productNames": ["诊断平台"], "tags": ["诊断"],
        "imageFileId": image, "solutionClasses": ["研发设计"], "industries": ["制造业"], "priceLowFen": 100000,
        "priceHighFen": 5000000, "deliveryCycleDays": 30, "personDays": 20, "caseStudies": [study, study, study],
        "contact": {"name": "张三", "phone": "13200000000"},
        "intro": {"bannerTitle": name, "bannerText": "一站式诊断", "bannerImageFileId": image, "highlights": ["七天出报告"],
                  "description": "面向制造业中小企业的数字化转型诊断服务。", "modules": [],
                  "afterSales": {"hours": "9:00-18:00", "scope": "远程支持", "hotline": "400-000-0000"}},
        "specs": [{"name": "标准版", "purchaseMode": "quantity", "pricing": "simple", "unitPriceFen": 100000}]},
        token=token)
    assert status == 201, product
    return product["id"], document


def first_case_document(value):
    """The documentFileId of the first case study anywhere in a product's JSON, or None."""
    if isinstance(value, dict):
        studies = value.get("caseStudies")
        if isinstance(studies, list) and studies:
            return studies[0].get("documentFileId")
        for each in value.values():
            found = first_case_document(each)
            if found:
                return found
    return None


class ListingUploadTests(BrowserTest):
    def test_a_case_document_of_a_few_megabytes_uploads_with_a_progress_bar(self):
        """Proves the editor's progress upload: saving with a 3 MB case document shows the bar,
        which reaches 100 %; the editor comes back with 已保存 and the document listed, and the
        product's first case study names the new document."""
        product, before = draft_product("上传进度测试 " + uuid.uuid4().hex[:6])
        with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as document:
            document.write(b"%PDF-1.7\n%" + b"0" * DOCUMENT_BYTES + b"\n%%EOF\n")
        self.addCleanup(os.unlink, document.name)

        self.log_in(*PROVIDER)
        self.open("/workbench/products/%s/edit" % product)
        self.wait_for("#listing-form")
        self.assertTrue(self.driver.find_element(By.ID, "upload-progress").get_attribute("hidden") is not None)
        self.driver.find_element(By.ID, "f-c0-document").send_keys(document.name)
        self.driver.execute_script(WATCH_PROGRESS)
        self.click_and_load("#save-draft")
        self.wait_for_text("#editor-notice", "已保存")
        self.assertIn("已上传", self.text("#f-c0-document-uploaded"))
        values = self.driver.execute_script("return JSON.parse(sessionStorage.getItem('upload-values') || '[]')")
        self.assertIn(100, values, "the bar reached 100 percent: " + str(values))
        self.assertNotIn(-1, values, "the bar was shown throughout: " + str(values))
        self.driver.execute_script("document.getElementById('f-c0-document').scrollIntoView({block: 'center'})")
        self.screenshot("listing-editor-uploaded", phone=True)

        status, body = browser.api("GET", "/v1/products/" + product, token=browser.api_token(*PROVIDER))
        self.assertEqual(200, status, body)
        after = first_case_document(body)
        self.assertTrue(after and after != before, "the first case study names the new document: %s" % body)
