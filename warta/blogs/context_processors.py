def blog(request):
    blog = getattr(request, "blog", None)

    def can_use_desk():
        # Called by the template only for signed-in readers: anonymous pages make no query.
        from .models import Membership

        return blog is not None and blog.role_of(request.user) in Membership.WRITING_ROLES

    return {"blog": blog, "can_use_desk": can_use_desk}
