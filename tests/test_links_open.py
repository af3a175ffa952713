"""Links only to what the person can open (issue 15): with the demo seeded, each demo persona
follows every link of the pages they can reach, and each answers them (200, or a redirect to
a page that does). A link to a page that answers "Page not found" or "You do not have
permission" is a promise the page cannot keep: it is shown only to people who can open it.

The crawl starts from the home page and follows links within the service. It reads the
links of at most `EXPANDED_PER_SHAPE` pages of each shape (an address with its ids and
council codes taken out, e.g. `/a/east-midlands/tier2/#/actions/#/`) per person, so that
the crawl stays bounded as the demo grows, but it opens every distinct link it finds on
those pages. The Django admin and allauth's pages are someone else's: their links are
opened, not followed further.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from peerchallenge.demo import sign_in_accounts
from peerchallenge.models import User

EXPANDED_PER_SHAPE = 2
NOT_FOLLOWED = ("/admin/", "/accounts/", "/static/")
# Addresses that are not pages: signing out is a form (POST); the rest are the person's own
# secret links (tokens), which answer whoever holds them.
NOT_OPENED = (re.compile(r"^/accounts/logout/"),)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(page_url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "#", "javascript:")):
            continue
        absolute, _fragment = urldefrag(urljoin("http://testserver" + page_url, href))
        parts = urlsplit(absolute)
        if parts.netloc != "testserver":
            continue  # another site (GOV.UK's guidance, Ofsted's reports)
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def shape_of(url: str) -> str:
    path = urlsplit(url).path
    path = re.sub(r"/E\d{8}/", "/#/", path)  # council codes
    path = re.sub(r"/\d+(?=/|$|\.)", "/#", path)
    return path


def answer_of(client: Client, url: str):
    """The response at `url` after following redirects, and where it ended."""
    response = client.get(url, follow=True)
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    return response, final


def crawl(client: Client) -> tuple[list[tuple[str, str, int]], int]:
    """(page, link, status) of every link that does not open; and how many were opened."""
    sign_in_page = reverse("account_login")
    start = reverse("home")
    opened: dict[str, int] = {}
    expanded_shapes: dict[str, int] = {}
    broken = []
    queue = deque([(start, start)])
    while queue:
        url, found_on = queue.popleft()
        if url in opened or any(pattern.match(url) for pattern in NOT_OPENED):
            continue
        response, final = answer_of(client, url)
        status = response.status_code
        if status == 200 and urlsplit(final).path == sign_in_page and url != sign_in_page:
            status = 302  # sent to sign in: the person may not open it
        opened[url] = status
        if status != 200:
            broken.append((found_on, url, status))
            continue
        if url.startswith(NOT_FOLLOWED) or "text/html" not in response.get("Content-Type", ""):
            continue
        shape = shape_of(url)
        if expanded_shapes.get(shape, 0) >= EXPANDED_PER_SHAPE:
            continue
        expanded_shapes[shape] = expanded_shapes.get(shape, 0) + 1
        for link in links_of(url, response.content.decode()):
            if link not in opened:
                queue.append((link, url))
    return broken, len(opened)


@pytest.mark.django_db
def test_every_link_a_demo_persona_is_shown_opens_for_them(settings):
    settings.DEMO_MODE = True  # the demo's accounts sign in without a second factor
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    failures = []
    for label, email in sign_in_accounts():
        client = Client()
        client.force_login(User.objects.get(email=email))
        broken, opened = crawl(client)
        # The superuser belongs to no alliance: their home page is the Django admin's link.
        assert opened > 10 or label.startswith("Superuser"), f"{label} reached {opened} pages"
        failures += [f"{label}: {page} links to {link} ({status})" for page, link, status in broken]
    assert failures == [], "\n".join(failures)
