"""The desk's moderation queue: pending comments first, a tab per status with its count,
filters by status, post and text, and actions on one comment or on the selected ones. An
editor moderates the whole blog; an author, the comments on their own posts; nobody, the
comments of another blog. Every action keeps the posts' comment counts exact."""

import datetime
from types import SimpleNamespace

import lxml.html
import pytest

from warta.comments.models import Comment

HOST = "meja.localhost"
QUEUE = "/desk/comments/"


def at(day, hour=9):
    return datetime.datetime(2024, 3, day, hour, tzinfo=datetime.UTC)


@pytest.fixture
def desk(make_blog, make_member, make_post, make_comment):
    """An English blog: an author's post and someone else's, each with comments of every
    status, created out of date order; and another blog with a pending comment."""
    blog = make_blog("meja", title="Meja Redaksi", language="en")
    author = make_member(blog, role="author")
    editor = make_member(blog, role="editor")
    mine = make_post(blog, title="The author's story", author=author)
    theirs = make_post(blog, title="A colleague's story")
    c = SimpleNamespace(
        source=make_comment(
            mine,
            author_name="Budi",
            author_email="budi@example.com",
            body="Is this confirmed?",
            status="pending",
            created_at=at(2),
        ),
        date=make_comment(
            theirs, body="Wrong date in paragraph two.", status="pending", created_at=at(4)
        ),
        link=make_comment(mine, body="Source please.", status="pending", created_at=at(3)),
        praise=make_comment(mine, body="Great reporting.", created_at=at(1)),
        thanks=make_comment(theirs, body="Thanks for this.", created_at=at(1, 10)),
        spam=make_comment(mine, body="Buy followers now.", status="spam", created_at=at(1, 11)),
        off_topic=make_comment(theirs, body="Off topic.", status="trashed", created_at=at(1, 12)),
    )
    elsewhere = make_comment(
        make_post(make_blog("lain")), body="Another blog's comment.", status="pending"
    )
    scene = dict(blog=blog, author=author, editor=editor, mine=mine, theirs=theirs)
    return SimpleNamespace(**scene, c=c, elsewhere=elsewhere)


def open_queue(client, person, query=""):
    client.force_login(person)
    response = client.get(QUEUE + query, HTTP_HOST=HOST)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def rows(page):
    """The comments the queue lists, top to bottom, by id."""
    return [int(row.get("id").removeprefix("row-")) for row in page.xpath("//tr[@id]")]


def ids(*comments):
    return [comment.pk for comment in comments]


def tabs(page):
    return [" ".join(a.text_content().split()) for a in page.xpath("//p[@class='desk-tabs']/a")]


def current_tab(page):
    (tab,) = page.xpath("//p[@class='desk-tabs']/a[@aria-current]")
    return " ".join(tab.text_content().split())


def moderate(client, data, query=""):
    return client.post(QUEUE + query, data, HTTP_HOST=HOST)


def statuses(*comments):
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def comment_count(post):
    post.refresh_from_db()
    return post.comment_count


def test_the_queue_opens_on_the_pending_comments_newest_first(client, desk):
    page = open_queue(client, desk.editor)
    assert current_tab(page) == "Pending (3)"
    assert rows(page) == ids(desk.c.date, desk.c.link, desk.c.source)


def test_each_status_has_a_tab_with_its_count(client, desk):
    page = open_queue(client, desk.editor)
    assert tabs(page) == ["Pending (3)", "Approved (2)", "Spam (1)", "Trashed (1)", "All"]


def test_an_authors_tabs_count_only_the_comments_on_their_posts(client, desk):
    page = open_queue(client, desk.author)
    assert tabs(page) == ["Pending (2)", "Approved (1)", "Spam (1)", "Trashed (0)", "All"]


def test_an_editor_sees_every_comment_of_the_blog(client, desk):
    page = open_queue(client, desk.editor, "?status=")
    assert set(rows(page)) == set(ids(*vars(desk.c).values()))
    assert desk.elsewhere.pk not in rows(page)


def test_an_author_sees_only_the_comments_on_their_own_posts(client, desk):
    c = desk.c
    page = open_queue(client, desk.author, "?status=")
    assert set(rows(page)) == set(ids(c.source, c.link, c.praise, c.spam))
    html = lxml.html.tostring(page, encoding="unicode")
    assert "Wrong date in paragraph two." not in html
    # Nor through the post filter, with a colleague's post named in the address.
    assert rows(open_queue(client, desk.author, f"?status=&post={desk.theirs.pk}")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=approved", ["praise", "thanks"]),
        ("?status=spam", ["spam"]),
        ("?status=trashed", ["off_topic"]),
        ("?status=&post={theirs}", ["date", "thanks", "off_topic"]),
        ("?status=pending&post={mine}", ["link", "source"]),
        ("?status=&q=CONFIRMED", ["source"]),  # the text, in any case
        ("?status=&q=budi", ["source"]),  # the commenter's name and address
        ("?status=&q=example.com", ["source"]),
        ("?status=pending&q=please", ["link"]),
        ("?status=&post={mine}&q=great", ["praise"]),
        ("?status=&post={theirs}&q=great", []),
        ("?status=approved&q=please", []),
    ],
)
def test_the_queue_filters_by_status_post_and_text(client, desk, query, expected):
    query = query.format(mine=desk.mine.pk, theirs=desk.theirs.pk)
    page = open_queue(client, desk.editor, query)
    assert set(rows(page)) == {getattr(desk.c, name).pk for name in expected}
    if not expected:
        assert page.xpath("//p[@class='desk-empty']")


def test_a_row_shows_who_wrote_what_on_which_post(client, desk):
    page = open_queue(client, desk.editor)
    (row,) = page.xpath(f"//tr[@id='row-{desk.c.source.pk}']")
    text = " ".join(row.text_content().split())
    assert "Budi" in text and "budi@example.com" in text  # moderators see the address
    assert "Is this confirmed?" in text and "The author's story" in text
    assert row.xpath(f".//a[@href='{desk.c.source.get_absolute_url()}']")


def test_a_comments_markup_is_shown_as_text(
    client, make_blog, make_member, make_post, make_comment
):
    blog = make_blog("meja", language="en")
    make_comment(make_post(blog), body='<script>alert("x")</script>', status="pending")
    client.force_login(make_member(blog, role="editor"))
    html = client.get(QUEUE, HTTP_HOST=HOST).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


@pytest.mark.parametrize(
    ("action", "count_of_mine"),
    [("approved", 3), ("spam", 1), ("trashed", 1)],
)
def test_a_bulk_action_sets_the_status_and_recounts_the_post(client, desk, action, count_of_mine):
    c = desk.c
    assert comment_count(desk.mine) == 1
    client.force_login(desk.editor)
    response = moderate(client, {"action": action, "ids": ids(c.source, c.link)})
    assert response.status_code == 302
    assert statuses(c.source, c.link) == [action, action]
    assert statuses(c.date, c.praise) == ["pending", "approved"]  # not selected
    assert comment_count(desk.mine) == count_of_mine
    assert comment_count(desk.theirs) == 1


def test_trashing_an_approved_comment_takes_it_off_the_count(client, desk):
    client.force_login(desk.editor)
    moderate(client, {"action": "trashed", "ids": ids(desk.c.praise, desk.c.thanks)})
    assert statuses(desk.c.praise, desk.c.thanks) == ["trashed", "trashed"]
    assert comment_count(desk.mine) == 0 and comment_count(desk.theirs) == 0
    page = open_queue(client, desk.editor, "?status=trashed")
    assert set(rows(page)) == set(ids(desk.c.praise, desk.c.thanks, desk.c.off_topic))


def test_a_rows_own_button_acts_on_that_comment_alone(client, desk):
    client.force_login(desk.editor)
    # A checked box elsewhere in the form does not ride along with a row's button.
    moderate(client, {"one": f"approved:{desk.c.link.pk}", "ids": ids(desk.c.source)})
    assert statuses(desk.c.link, desk.c.source) == ["approved", "pending"]
    assert comment_count(desk.mine) == 2


def test_after_an_action_the_queue_comes_back_with_its_filters(client, desk):
    client.force_login(desk.editor)
    query = f"?status=pending&post={desk.mine.pk}&q=please"
    response = moderate(client, {"one": f"spam:{desk.c.link.pk}"}, query)
    assert response.status_code == 302
    assert response["Location"] == QUEUE + query


def test_an_author_cannot_moderate_comments_on_a_colleagues_post(client, desk):
    c = desk.c
    client.force_login(desk.author)
    moderate(client, {"action": "approved", "ids": ids(c.source, c.date, c.off_topic)})
    moderate(client, {"one": f"spam:{c.thanks.pk}"})
    assert statuses(c.source, c.date, c.off_topic, c.thanks) == [
        "approved",
        "pending",
        "trashed",
        "approved",
    ]
    assert comment_count(desk.theirs) == 1


def test_comment_ids_of_another_blog_are_ignored(client, desk):
    other_blog = desk.elsewhere.blog
    client.force_login(desk.editor)
    moderate(client, {"action": "spam", "ids": ids(desk.c.date, desk.elsewhere)})
    moderate(client, {"one": f"approved:{desk.elsewhere.pk}"})
    assert statuses(desk.c.date, desk.elsewhere) == ["spam", "pending"]
    other_blog.refresh_from_db()
    assert other_blog.comment_blocklist == ""  # nothing learnt from a comment not ours


@pytest.mark.parametrize(
    "data",
    [
        {"action": "published", "ids": ["{pk}"]},
        {"action": "", "ids": ["{pk}"]},
        {"one": "deleted:{pk}"},
        {"action": "approved", "ids": ["x{pk}"]},
    ],
)
def test_a_malformed_action_changes_nothing(client, desk, data):
    data = {
        key: [v.format(pk=desk.c.source.pk) for v in value]
        if isinstance(value, list)
        else value.format(pk=desk.c.source.pk)
        for key, value in data.items()
    }
    client.force_login(desk.editor)
    assert moderate(client, data).status_code == 302
    assert statuses(desk.c.source) == ["pending"]


@pytest.fixture
def long_queue(make_blog, make_member, make_post, make_comment):
    """Fifty-one pending comments, one a minute, and an approved one."""
    blog = make_blog("meja", language="en")
    post = make_post(blog)
    first = at(1)
    pending = [
        make_comment(
            post,
            body=f"Pending number {n}",
            status="pending",
            created_at=first + datetime.timedelta(minutes=n),
        )
        for n in range(51)
    ]
    make_comment(post, body="Already approved", created_at=at(2))
    return SimpleNamespace(editor=make_member(blog, role="editor"), pending=pending)


def test_the_queue_shows_fifty_comments_a_page(client, long_queue):
    page = open_queue(client, long_queue.editor)
    assert rows(page) == ids(*reversed(long_queue.pending[1:]))
    assert page.xpath("//p[@class='pager']//a[text()='Older']")


def test_the_next_page_of_the_pending_queue_is_still_pending(client, long_queue):
    page = open_queue(client, long_queue.editor)
    (older,) = page.xpath("//p[@class='pager']//a[text()='Older']")
    page = open_queue(client, long_queue.editor, older.get("href"))
    assert rows(page) == ids(long_queue.pending[0])
