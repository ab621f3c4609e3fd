import datetime
import io

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from warta.accounts.models import User
from warta.blogs.models import Blog, Membership
from warta.comments.models import Comment
from warta.posts.models import Image, Label, Page, Post, Status

DEMO_SLUG = "kabar"

POSTS = [
    {
        "title": "‘Kami hanya ingin pulang sebelum musim hujan,’ kata warga pesisir Demak",
        "kicker": "Jawa Tengah",
        "labels": ["Lingkungan", "Nasional"],
        "source": ("Antara", "https://www.antaranews.com/"),
        "caption": "Perahu nelayan tertambat di tepi tanggul darurat di pesisir Demak",
        "credit": "Ilustrasi Warta",
        "days_ago": 0,
        "body": (
            "Ratusan keluarga di pesisir utara Demak masih bertahan di tenda pengungsian, "
            "Senin (23/11), setelah air pasang merendam permukiman mereka selama hampir dua "
            "pekan.\n\n"
            '> "Rumah kami masih tergenang sebetis. Anak-anak harus sekolah dari tenda," '
            "ujar Siti Marfuah, seorang ibu rumah tangga.\n\n"
            "Pemerintah kabupaten menyatakan tanggul darurat sepanjang 800 meter akan selesai "
            "akhir bulan ini. Warga berharap pembangunan itu rampung sebelum puncak musim hujan.\n\n"
            "Menurut badan meteorologi setempat, gelombang tinggi diperkirakan masih terjadi "
            "hingga pekan depan."
        ),
    },
    {
        "title": "Harga cabai rawit turun, pedagang pasar tradisional bernapas lega",
        "kicker": "Ekonomi",
        "labels": ["Ekonomi", "Nasional"],
        "source": ("Reuters", ""),
        "days_ago": 1,
        "body": (
            "Harga cabai rawit di sejumlah pasar tradisional Jakarta turun menjadi sekitar "
            "Rp45.000 per kilogram, Minggu (22/11), dari Rp70.000 sepekan sebelumnya.\n\n"
            "Pedagang menyebut pasokan dari sentra produksi di Jawa Timur kembali lancar "
            "setelah panen raya.\n\n"
            '"Pembeli mulai datang lagi," kata Darto, pedagang di Pasar Senen.'
        ),
    },
    {
        "title": "Gencatan senjata rapuh, PBB minta koridor kemanusiaan dibuka",
        "kicker": "Timur Tengah",
        "labels": ["Timur Tengah", "Internasional"],
        "source": ("Reuters", "https://www.reuters.com/"),
        "caption": "Relawan membagikan paket makanan di sebuah kamp pengungsi",
        "credit": "Ilustrasi Warta",
        "days_ago": 3,
        "body": (
            "Perserikatan Bangsa-Bangsa meminta semua pihak membuka koridor kemanusiaan agar "
            "bantuan makanan dan obat-obatan dapat menjangkau puluhan ribu warga sipil.\n\n"
            '"Setiap jam penundaan berarti nyawa," kata seorang juru bicara badan PBB untuk '
            "urusan kemanusiaan kepada wartawan, Jumat (20/11).\n\n"
            "Sejumlah lembaga bantuan melaporkan persediaan obat di rumah sakit setempat hanya "
            "cukup untuk beberapa hari."
        ),
    },
    {
        "title": "Sekolah di Flores uji coba internet satelit untuk kelas daring",
        "kicker": "Pendidikan",
        "labels": ["Teknologi", "Nasional"],
        "days_ago": 6,
        "body": (
            "Dua belas sekolah dasar di Kabupaten Manggarai mulai menguji internet satelit untuk "
            "mendukung pembelajaran daring.\n\n"
            "Guru di sana mengatakan koneksi yang stabil memungkinkan siswa mengakses buku "
            "digital untuk pertama kalinya."
        ),
    },
]

COMMENTS = [
    (
        "Budi Santoso",
        "Semoga tanggulnya cepat selesai. Kasihan anak-anak yang harus sekolah dari tenda.",
    ),
    ("Rina Wulandari", "Terima kasih liputannya. Apakah ada posko bantuan yang bisa kami hubungi?"),
]


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
