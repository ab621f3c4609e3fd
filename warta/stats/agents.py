"""What a User-Agent header says, coarsely: a known robot, a phone, or anything else.

Only the answer is kept, never the header. Robots are matched by the words their
User-Agent carries (crawlers, link previews, feed readers, monitors, HTTP libraries); a
request without any User-Agent is no browser either. A phone is what MDN advises testing
for: ``Mobi`` anywhere in the header (and iPhones, whose header says ``Mobile``).
"""

import functools
import re

BOT = "bot"
PHONE = "phone"
OTHER = "other"

ROBOT_WORDS = re.compile(
    r"bot\b|bot/|robot|crawl|spider|slurp|scrap|archiver|indexer|fetch|feed|rss|reader/|"
    r"preview|monitor|uptime|pingdom|checker|validator|lighthouse|pagespeed|gtmetrix|"
    r"headless|phantomjs|selenium|puppeteer|playwright|facebookexternalhit|facebookcatalog|"
    r"meta-externalagent|embedly|quora link|"
    r"bingpreview|yahoo! slurp|baiduspider|yandex|petalbot|bytespider|gptbot|ccbot|"
    r"claude|anthropic|perplexity|amazonbot|applebot|semrush|ahrefs|mj12|dotbot|"
    r"curl|wget|httpie|python|aiohttp|httpx|requests|okhttp|java/|go-http-client|"
    r"libwww|lwp-|node-fetch|axios|undici|guzzle|ruby|perl|php/|wrk\b|apachebench|"
    r"\bab/|siege|jmeter|locust|k6/|postman|insomnia",
    re.IGNORECASE,
)
MAX_REMEMBERED = 4096  # distinct User-Agent headers a worker keeps the answer for


def classify(user_agent):
    if not user_agent or not user_agent.startswith("Mozilla/") or ROBOT_WORDS.search(user_agent):
        return BOT
    if "Mobi" in user_agent or "iPhone" in user_agent:
        return PHONE
    return OTHER


# ``BOT``, ``PHONE`` or ``OTHER``, remembered per worker within a bound (clients choose
# these strings): the hit path asks once per distinct header.
kind_of = functools.lru_cache(maxsize=MAX_REMEMBERED)(classify)
