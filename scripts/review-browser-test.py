#!/usr/bin/env python3
"""Browser test of the review page in headless Chromium (Debian's chromium and chromium-driver, Selenium from PyPI).

Makes the sample scans, runs the batch on them, adds two readers and serves the results; then, as a radiologist
would: logs in, opens the worklist, moves through it with the keyboard, opens a case, waits for every phase's slice
image to load, changes the slice with the keyboard and the slider, turns on the rim/core overlay, posts a verdict
through the form, logs out, and checks that `radiomics review export` has the verdict. A second server in blinded
mode checks that the automatic type is absent from the page until the reader's verdict.

    python3 scripts/review-browser-test.py --radiomics .build/debug/radiomics [--screenshots docs/images]

Exit status 0 when every check passes; a failed check prints what was expected and what the page showed.
"""
import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "correct horse battery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, **kw):
    r = subprocess.run(list(args), capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"command failed ({r.returncode}): {' '.join(args)}\n{r.stdout}\n{r.stderr}")
    return r


class Server:
    def __init__(self, radiomics, results, *flags):
        self.port = free_port()
        self.log = open(os.path.join(results, f"serve-{self.port}.log"), "w")
        self.process = subprocess.Popen([radiomics, "review", "serve", results, "--port", str(self.port), *flags],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/login", timeout=2).read()
                return
            except Exception:
                if self.process.poll() is not None or time.time() > deadline:
                    sys.exit(f"the review server did not start; its log:\n{open(self.log.name).read()}")
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1500,1050",
              "--force-device-scale-factor=1"]:
        options.add_argument(a)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    return driver


def check(condition, message, driver=None):
    if not condition:
        page = ""
        if driver is not None:
            page = f"\nURL {driver.current_url}\n{driver.page_source[:3000]}"
        raise AssertionError(message + page)


def wait(driver, what, condition, timeout=30):
    try:
        return WebDriverWait(driver, timeout).until(lambda d: condition(d))
    except Exception:
        check(False, f"timed out waiting for {what}", driver)


def images_loaded(driver):
    return driver.execute_script(
        "const i = Array.from(document.querySelectorAll('img.slice'));"
        "return i.length > 0 && i.every(x => x.complete && x.naturalWidth > 0);")


def login(driver, url, reader):
    driver.get(url + "/worklist")
    wait(driver, "the login page", lambda d: d.current_url.endswith("/login"))
    driver.find_element(By.ID, "reader").send_keys(reader)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login").click()
    wait(driver, "the worklist after login", lambda d: d.current_url.endswith("/worklist"))


def open_read(driver, server, results, screenshots):
    url = server.url
    # Login with a wrong password first: refused, still on the login page.
    driver.get(url + "/login")
    driver.find_element(By.ID, "reader").send_keys("alice")
    driver.find_element(By.ID, "password").send_keys("not the password")
    driver.find_element(By.ID, "login").click()
    wait(driver, "the wrong password's message", lambda d: d.find_elements(By.ID, "login-error"))
    login(driver, url, "alice")
    rows = driver.find_elements(By.CSS_SELECTOR, "tr.case-row")
    check(len(rows) == 6, f"6 cases in the worklist, saw {len(rows)}", driver)
    check("hidden" not in driver.find_element(By.ID, "worklist").text, "open reads show the automatic type", driver)
    automatic = {r.get_attribute("data-case"): r.find_element(By.CLASS_NAME, "automatic").text for r in rows}
    check(automatic["hcc-type2"] == "2", f"automatic type 2 for hcc-type2, saw {automatic}", driver)
    # Keyboard: down twice selects the second row, Enter opens it.
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    body.send_keys(Keys.ARROW_DOWN)
    check("selected" in rows[1].get_attribute("class"), "the second row selected after two moves down", driver)
    body.send_keys(Keys.ENTER)
    wait(driver, "the second case's page", lambda d: d.current_url.endswith("/cases/" + rows_ids(d, url)[1]))
    # The filters: done cases only (none yet).
    driver.get(url + "/worklist")
    Select(driver.find_element(By.ID, "filter-state")).select_by_value("done")
    driver.find_element(By.CSS_SELECTOR, "#filters button").click()
    wait(driver, "the filtered worklist", lambda d: "state=done" in d.current_url)
    check(len(driver.find_elements(By.CSS_SELECTOR, "tr.case-row")) == 0, "no case done yet", driver)

    # A multiphase case: three phases side by side, every image loaded.
    driver.get(url + "/cases/hcc-type2")
    wait(driver, "the slice images to load", images_loaded)
    phases = [i.get_attribute("data-phase") for i in driver.find_elements(By.CSS_SELECTOR, "img.slice")]
    check(phases == ["precontrast", "arterial", "portal"], f"three phases, saw {phases}", driver)
    check(driver.find_element(By.ID, "automatic-type").text == "2", "the automatic type shown in an open read", driver)
    slider = driver.find_element(By.ID, "slice")
    arterial = driver.find_element(By.ID, "img-arterial")
    first_src, first_value = arterial.get_attribute("src"), slider.get_attribute("value")
    # Keyboard scrolling: one slice up.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_UP)
    wait(driver, "the slice to change", lambda d: d.find_element(By.ID, "img-arterial").get_attribute("src") != first_src)
    check(int(slider.get_attribute("value")) == int(first_value) + 1, "ArrowUp moves one slice up", driver)
    wait(driver, "the new slice to load", images_loaded)
    # The slider itself: to slice 0.
    driver.execute_script("const s = document.getElementById('slice'); s.value = 0; s.dispatchEvent(new Event('input'));")
    wait(driver, "slice 0", lambda d: "/slice/arterial/0?" in d.find_element(By.ID, "img-arterial").get_attribute("src"))
    wait(driver, "slice 0 to load", images_loaded)
    # The window presets: the arterial window, by the menu.
    Select(driver.find_element(By.ID, "window")).select_by_value("arterial")
    wait(driver, "the arterial window", lambda d: "window=arterial" in d.find_element(By.ID, "img-arterial").get_attribute("src"))
    wait(driver, "the arterial window's images to load", images_loaded)
    # Back to the tumour's largest slice in the liver window with the rim/core overlay ('o'), for the picture.
    Select(driver.find_element(By.ID, "window")).select_by_value("liver")
    driver.execute_script(f"const s = document.getElementById('slice'); s.value = {first_value}; s.dispatchEvent(new Event('input'));")
    driver.find_element(By.TAG_NAME, "body").send_keys("o")
    wait(driver, "the overlay", lambda d: "overlay=1" in d.find_element(By.ID, "img-arterial").get_attribute("src")
         and "window=liver" in d.find_element(By.ID, "img-arterial").get_attribute("src"))
    wait(driver, "the overlay images to load", images_loaded)
    size = driver.execute_script("return document.getElementById('img-arterial').naturalWidth")
    check(size >= 200, f"slice pictures drawn about 384 pixels across, saw {size}", driver)
    if screenshots:
        driver.save_screenshot(os.path.join(screenshots, "review-case.png"))
    # The septum overlay ('s').
    driver.find_element(By.TAG_NAME, "body").send_keys("s")
    wait(driver, "the septum overlay", lambda d: "septa=1" in d.find_element(By.ID, "img-arterial").get_attribute("src"))
    wait(driver, "the septum overlay's images to load", images_loaded)
    # A verdict through the form.
    driver.find_element(By.ID, "type-2").click()
    Select(driver.find_element(By.ID, "confidence")).select_by_value("4")
    driver.find_element(By.ID, "comment").send_keys("peripheral ring, browser test")
    driver.find_element(By.ID, "save").click()
    wait(driver, "the saved verdict", lambda d: d.find_elements(By.ID, "saved"))
    check("peripheral ring, browser test" in driver.find_element(By.ID, "history").text, "the verdict in the history", driver)
    driver.get(url + "/worklist?state=done")
    done = [r.get_attribute("data-case") for r in driver.find_elements(By.CSS_SELECTOR, "tr.case-row")]
    check(done == ["hcc-type2"], f"hcc-type2 done, saw {done}", driver)
    if screenshots:
        driver.get(url + "/worklist")
        # Just the worklist's height (the window's own frame added).
        height = driver.execute_script("return Math.ceil(document.querySelector('main').getBoundingClientRect().bottom) + window.outerHeight - window.innerHeight")
        driver.set_window_size(1000, height + 10)
        driver.save_screenshot(os.path.join(screenshots, "review-worklist.png"))
        driver.set_window_size(1500, 1050)
    # Log out: the pages are closed again.
    driver.find_element(By.ID, "logout").click()
    wait(driver, "the login page after logout", lambda d: d.current_url.endswith("/login"))
    driver.get(url + "/cases/hcc-type2")
    check(driver.current_url.endswith("/login"), "a case page after logout goes to the login page", driver)


def rows_ids(driver, url):
    return [r.get_attribute("data-case") for r in driver.find_elements(By.CSS_SELECTOR, "tr.case-row")] or \
        ["case-001", "case-002"]


def blinded_read(driver, server):
    url = server.url
    login(driver, url, "bob")
    check(driver.find_elements(By.ID, "blinded"), "the blinded badge", driver)
    cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "td.automatic")]
    check(cells and all(c == "hidden" for c in cells), f"every automatic type hidden, saw {cells}", driver)
    driver.get(url + "/cases/hcc-type3")
    wait(driver, "the slice images to load", images_loaded)
    check(not driver.find_elements(By.ID, "automatic-type"), "no automatic type before the verdict", driver)
    check(not driver.find_elements(By.ID, "quantities"), "no quantities before the verdict", driver)
    check(driver.find_elements(By.ID, "automatic-hidden"), "the hidden notice", driver)
    source = driver.page_source
    for leak in ["rim_minus_core_hu", "septum_fraction", "type 3 (heterogeneous)"]:
        check(leak not in source, f"'{leak}' absent from the page before the verdict", driver)
    driver.find_element(By.ID, "type-3").click()
    driver.find_element(By.ID, "save").click()
    wait(driver, "the saved verdict", lambda d: d.find_elements(By.ID, "saved"))
    check(driver.find_element(By.ID, "automatic-type").text == "3", "the automatic type shown after the verdict", driver)
    driver.find_element(By.ID, "logout").click()
    wait(driver, "the login page after logout", lambda d: d.current_url.endswith("/login"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--radiomics", required=True)
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    radiomics = os.path.abspath(args.radiomics)
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="review-browser-") as work:
        samples, results = os.path.join(work, "samples"), os.path.join(work, "results")
        run(radiomics, "make-samples", samples)
        run(radiomics, "batch", "--archive", samples, "--clinical", os.path.join(samples, "clinical.csv"), "--output", results)
        with open(os.path.join(work, "password"), "w") as f:
            f.write(PASSWORD + "\n")
        for reader in ["alice", "bob"]:
            run(radiomics, "review", "add-reader", reader, "--results", results, "--password-file", os.path.join(work, "password"))
        driver = browser()
        try:
            server = Server(radiomics, results)
            try:
                open_read(driver, server, results, args.screenshots)
            finally:
                server.stop()
            blinded = Server(radiomics, results, "--blinded")
            try:
                blinded_read(driver, blinded)
            finally:
                blinded.stop()
        finally:
            driver.quit()
        export = os.path.join(work, "export")
        run(radiomics, "review", "export", results, "--output", export)
        with open(os.path.join(export, "verdicts.csv")) as f:
            rows = list(csv.DictReader(f))
        mine = [r for r in rows if r["reader"] == "alice" and r["case_id"] == "hcc-type2"]
        check(len(mine) == 1 and mine[0]["type"] == "2" and mine[0]["confidence"] == "4", f"alice's verdict in verdicts.csv, saw {rows}")
        check("browser test" in mine[0]["comment"], f"the comment in verdicts.csv, saw {mine}")
        bobs = [r for r in rows if r["reader"] == "bob" and r["case_id"] == "hcc-type3"]
        check(len(bobs) == 1 and bobs[0]["type"] == "3", f"bob's blinded verdict in verdicts.csv, saw {rows}")
    print("review browser test: open read, keyboard, slider, overlay, verdict, logout, export, blinded read: all passed")


if __name__ == "__main__":
    main()
