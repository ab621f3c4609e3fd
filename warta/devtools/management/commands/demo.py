import datetime
import io
import tomllib
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from warta.accounts.models import User
from warta.blogs.models import Blog, Membership
from warta.comments.models import Comment
from warta.posts.models import Image, Label, Page, Post, Status

DEMO_SLUG = "kabar"

# Fictional posts and comments, in a data file of their own (shipped with the package).
CONTENT = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "demo" / "content.toml").read_text("utf-8")
)
POSTS = CONTENT["posts"]
COMMENTS = [(comment["name"], comment["body"]) for comment in CONTENT["comments"]]


def demo_picture(width, height, hue):
    from PIL import Image as PILImage
    from PIL import ImageDraw

    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        shade = int(90 + 120 * y / height)
        draw.line([(0, y), (width, y)], fill=(hue % 256, shade, 255 - shade // 2))
    draw.ellipse([width * 0.6, height * 0.15, width * 0.85, height * 0.6], fill=(250, 214, 120))
    draw.rectangle([0, height * 0.72, width, height], fill=(40, 70, 90))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=70, optimize=True)
    return ContentFile(buffer.getvalue())


class Command(BaseCommand):
    help = "Create the demo blog “kabar” once (posts, labels, an author, comments); a second run does nothing."

    def handle(self, *args, **options):
        if Blog.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("The demo blog already exists; nothing to do.")
            return
        with transaction.atomic():
            self.create_demo()
        self.stdout.write(self.style.SUCCESS("Demo blog “kabar” created."))

    def create_demo(self):
        blog = Blog.objects.create(
            slug=DEMO_SLUG,
            title="Kabar Kita",
            tagline="Berita dan informasi dari sudut pandang warga",
            description="Blog berita independen: kabar dalam negeri dan dunia, ditulis ulang "
            "dengan bahasa yang mudah dibaca di ponsel.",
            language=Blog.Language.INDONESIAN,
            time_zone="Asia/Jakarta",
            comment_policy=Blog.CommentPolicy.MEMBERS,
        )
        author = User.objects.create_user(
            "redaksi@kabar.example",
            None,
            display_name="Laras Wicaksono",
            bio="Redaktur yang menulis ulang berita kantor berita untuk pembaca Indonesia. "
            "Menyukai kopi tubruk dan peta tua.",
        )
        author.photo.save("laras.jpg", demo_picture(160, 160, 180))
        Membership.objects.create(blog=blog, user=author, role=Membership.Role.OWNER)
        reader = User.objects.create_user(
            "pembaca@kabar.example", None, display_name="Budi Santoso"
        )
        Membership.objects.create(blog=blog, user=reader, role=Membership.Role.MEMBER)

        labels = {}
        now = timezone.now()
        for index, data in enumerate(POSTS):
            lead = None
            if data.get("caption"):
                lead = Image(blog=blog, alt=data["caption"], uploaded_by=author)
                lead.file.save(f"demo-{index}.jpg", demo_picture(960, 540, 40 * index), save=False)
                lead.save()
            source_name, source_url = data.get("source", ("", ""))
            post = Post.objects.create(
                blog=blog,
                author=author,
                title=data["title"],
                kicker=data["kicker"],
                body=data["body"],
                lead_image=lead,
                lead_caption=data.get("caption", ""),
                lead_credit=data.get("credit", ""),
                source_name=source_name,
                source_url=source_url,
                status=Status.PUBLISHED,
                published_at=now - datetime.timedelta(days=data["days_ago"], hours=2),
            )
            for name in data["labels"]:
                if name not in labels:
                    labels[name] = Label.objects.create(blog=blog, name=name)
                post.labels.add(labels[name])
            if index == 0:
                first = Comment.objects.create(
                    blog=blog, post=post, user=reader, body=COMMENTS[0][1]
                )
                Comment.objects.create(
                    blog=blog,
                    post=post,
                    user=author,
                    parent=first,
                    body="Terima kasih, Budi. Kami akan terus memantau perkembangannya.",
                )
                Comment.objects.create(
                    blog=blog, post=post, author_name=COMMENTS[1][0], body=COMMENTS[1][1]
                )
                Comment.objects.recount(post)
        Page.objects.create(
            blog=blog,
            author=author,
            title="Tentang Kami",
            body="**Kabar Kita** adalah contoh blog berita di Warta. Tulisan di sini fiktif.",
            status=Status.PUBLISHED,
        )
