def blog(request):
    return {"blog": getattr(request, "blog", None)}
