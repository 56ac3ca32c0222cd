"""Open pages in headless Chromium as a 390-pixel-wide phone, over the
DevTools protocol on a pipe (no package beyond Python's own), and print for
each its rendered text (innerText), whether anything is wider than the
viewport, and a screenshot of the first screen.

Usage: python3 .ci/webcheck.py OUT-DIR NAME=URL...
Prints one JSON object a line: name, width, viewport, text, background.
A page named "dark" is opened with prefers-color-scheme: dark.
"""
import base64, json, os, subprocess, sys, time

out, pages = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()

def arrange():
    # Chromium reads fd 3 and writes fd 4. Copied out of the way first: a
    # pipe may already be fd 3 or 4, and dup2 onto itself would leave it
    # closed on exec.
    r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(r, 3)
    os.dup2(w, 4)

chrome = subprocess.Popen(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--remote-debugging-pipe", "--window-size=390,844", "about:blank"],
                          preexec_fn=arrange, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
reader = os.fdopen(from_chrome_r, "rb")
next_id, buffered = 0, b""

def call(method, session=None, **params):
    global next_id, buffered
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params}
    if session:
        msg["sessionId"] = session
    os.write(to_chrome_w, json.dumps(msg).encode() + b"\0")
    while True:
        while b"\0" not in buffered:
            chunk = reader.read1(1 << 16)
            if not chunk:
                sys.exit(f"chromium closed the pipe during {method}")
            buffered += chunk
        raw, buffered = buffered.split(b"\0", 1)
        reply = json.loads(raw)
        if reply.get("id") == next_id:
            if "error" in reply:
                sys.exit(f"{method}: {reply['error']}")
            return reply["result"]

try:
    for name, url in pages:
        target = call("Target.createTarget", url="about:blank")["targetId"]
        s = call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        call("Emulation.setDeviceMetricsOverride", s, width=390, height=844, deviceScaleFactor=2, mobile=True)
        # A page named dark is seen as a phone in dark mode sees it.
        call("Emulation.setEmulatedMedia", s, features=[{"name": "prefers-color-scheme", "value": "dark" if name == "dark" else "light"}])
        call("Page.enable", s)
        call("Page.navigate", s, url=url)
        for _ in range(100):
            state = call("Runtime.evaluate", s, expression="document.readyState", returnByValue=True)["result"].get("value")
            if state == "complete":
                break
            time.sleep(0.05)
        probe = ("JSON.stringify({width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),"
                 " viewport: window.innerWidth, text: document.body.innerText,"
                 " background: getComputedStyle(document.body).backgroundColor})")
        got = json.loads(call("Runtime.evaluate", s, expression=probe, returnByValue=True)["result"]["value"])
        shot = call("Page.captureScreenshot", s, format="png")["data"]  # the first screen, as a phone shows it
        with open(os.path.join(out, name + ".png"), "wb") as f:
            f.write(base64.b64decode(shot))
        got["name"] = name
        print(json.dumps(got, ensure_ascii=False), flush=True)
        call("Target.closeTarget", targetId=target)
finally:
    chrome.kill()
