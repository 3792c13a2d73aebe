"""The site's icon: `/favicon.ico` for browsers that ask the root, and the pages' own link."""
import re


def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an icon file, with 16, 32 and 48 px images
    assert int.from_bytes(response.data[4:6], "little") == 3


def test_every_page_links_its_icons(client):
    page = client.get("/auth/login").text
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert len(links) == 2
    for href in links:
        response = client.get(href)
        assert response.status_code == 200 and response.mimetype.startswith("image/")
