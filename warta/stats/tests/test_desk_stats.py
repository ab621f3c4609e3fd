"""The desk's stats pages: views per day as an SVG drawn on the server with a table beside
it, totals for 7, 30 and 365 days, top posts and referrers, the share on phones; the whole
blog for owners, admins and editors, their own posts for authors, nothing for members."""

import datetime

import lxml.html
import pytest

from warta.stats.models import PageViews
from warta.stats.referrers import INTERNAL
from warta.stats.report import today_of

STATS = "/desk/stats/"


@pytest.fixture
def newsroom(blog, make_member, make_post):
    people = {
        role: make_member(blog, role=role, email=f"{role}@kabar.example")
        for role in ("owner", "editor", "author", "member")
    }
    mine = make_post(blog, title="Tulisan sang penulis", author=people["author"])
    theirs = make_post(blog, title="Tulisan redaksi", author=people["editor"])
    today = today_of(blog)

    def add(post, days_ago, views, *, referrer="", phone=False):
        PageViews.objects.create(
            blog=blog,
            post=post,
            path=post.path if post else "/",
            day=today - datetime.timedelta(days=days_ago),
            referrer=referrer,
            phone=phone,
            views=views,
        )

    add(mine, 0, 600, referrer="facebook.com", phone=True)
    add(mine, 3, 400)
    add(theirs, 10, 250, referrer="t.co")
    add(theirs, 100, 70, referrer=INTERNAL)
    add(None, 1, 9)
    return people, mine, theirs


def page(client, person, path=STATS, **query):
    client.force_login(person)
    response = client.get(path, query, HTTP_HOST="kabar.localhost")
    return response, lxml.html.fromstring(response.content) if response.status_code == 200 else None


def totals(html):
    return {int(dd.get("data-total-days")): int(dd.get("data-total")) for dd in html.xpath("//dd")}


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owners_and_editors_see_the_whole_blog(client, newsroom, role):
    people, mine, theirs = newsroom
    response, html = page(client, people[role])
    assert response.status_code == 200
    assert totals(html) == {7: 1009, 30: 1259, 365: 1329}
    rows = html.xpath("//h2[2]/following-sibling::table[1]//tbody/tr")
    top = [row.xpath("td")[0].text_content() for row in rows]
    assert top == ["Tulisan sang penulis", "Tulisan redaksi"]
    referrers = html.xpath("//h2[1]/following-sibling::table[1]//tbody/tr/td[1]/text()")
    assert referrers == ["facebook.com", "t.co"]  # 30 days: the internal views are older
    assert html.xpath("//p[@class='stats-phones']/@data-percent") == ["48"]  # 600 of 1,259


def test_the_chart_is_an_svg_with_a_bar_a_day_and_a_table_of_the_same_numbers(client, newsroom):
    people, mine, theirs = newsroom
    response, html = page(client, people["owner"], days=7)
    (svg,) = html.xpath("//figure//svg")
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "stats-chart-caption"
    bars = svg.xpath(".//rect")
    assert len(bars) == 7
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[-1] == max(heights) and heights[0] == 0  # today, 600, is the highest
    titles = [bar.xpath("title")[0].text for bar in bars]
    cells = [row.xpath("td[2]")[0].text for row in html.xpath("//details//tbody/tr")]
    assert [title.rsplit(": ", 1)[1] for title in reversed(titles)] == cells
    chart_part = response.content.split(b"<figure")[1].split(b"</details>")[0]
    assert b"<script" not in chart_part


def test_an_author_sees_only_the_views_of_their_own_posts(client, newsroom):
    people, mine, theirs = newsroom
    response, html = page(client, people["author"], days=365)
    assert totals(html) == {7: 1000, 30: 1000, 365: 1000}
    assert "Tulisan redaksi" not in response.content.decode()
    assert "t.co" not in response.content.decode()
    assert page(client, people["author"], f"{STATS}posts/{mine.pk}/")[0].status_code == 200
    assert page(client, people["author"], f"{STATS}posts/{theirs.pk}/")[0].status_code == 404


def test_one_posts_page(client, newsroom):
    people, mine, theirs = newsroom
    response, html = page(client, people["editor"], f"{STATS}posts/{theirs.pk}/", days=365)
    assert totals(html) == {7: 0, 30: 250, 365: 320}
    assert "Tulisan redaksi" in html.xpath("//h1")[0].text_content()


def test_members_and_strangers_see_no_stats(client, newsroom, make_user):
    people, mine, theirs = newsroom
    assert page(client, people["member"])[0].status_code == 403
    assert page(client, make_user())[0].status_code == 403
    client.logout()
    assert client.get(STATS, HTTP_HOST="kabar.localhost").status_code == 302


def test_a_span_that_is_not_offered_shows_thirty_days(client, newsroom):
    people, mine, theirs = newsroom
    response, html = page(client, people["owner"], days="9999")
    assert len(html.xpath("//figure//svg//rect")) == 30
