"""The names of Blogger's Atom: its namespaces and the schemes of its categories."""

ATOM_NS = "http://www.w3.org/2005/Atom"
NAMESPACES = {
    None: ATOM_NS,
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "gd": "http://schemas.google.com/g/2005",
    "thr": "http://purl.org/syndication/thread/1.0",
    "app": "http://purl.org/atom/app#",
    "blogger": "http://schemas.google.com/blogger/2018",
}
ATOM, GD, THR, APP, BLOGGER = (
    f"{{{NAMESPACES[prefix]}}}" for prefix in (None, "gd", "thr", "app", "blogger")
)
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
