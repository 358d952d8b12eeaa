"""Write the bad-input corpus into a folder: `python tests/bad_inputs/make.py OUT [--large]`.

Each file is one kind of bad input; CASES in tests/test_bad_corpus.py says what ingesting it
must do. Large files (200 MB, a 50 MB line) are generated only with --large.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

ARTICLE = "The harbour council met on Monday to agree a plan for the new sea wall after the winter storms."
RSS_ITEM = "<item><title>Harbour wall</title><link>https://x.example/{i}</link><description>{text}</description></item>"


def rss(items: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return f'{declaration}<rss version="2.0"><channel><title>Gazette</title>{items}</channel></rss>'


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def small_files() -> dict[str, bytes | str]:
    item = RSS_ITEM.format(i=1, text=ARTICLE)
    return {
        "empty.txt": b"",
        "whitespace.txt": b"   \n\t\n  \r\n",
        "binary.bin": bytes(range(256)) * 64,
        "nul_bytes.txt": (ARTICLE + "\x00\x00" + ARTICLE).encode(),
        "gzip.jsonl": gzip.compress(jsonl({"title": "t", "text": ARTICLE}).encode()),
        "damaged.jsonl.gz": gzip.compress(jsonl({"title": "t", "text": ARTICLE}).encode())[:30],
        "archive.zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
        "invalid_utf8.jsonl": jsonl({"title": "Café owners protest", "text": "Café " + ARTICLE}).encode("cp1252"),
        "utf16_bom.csv": "title,text\nÜber die Brücke,\"Die Brücke über den Fluss wird im Sommer erneuert, sagte die Stadt.\"\n".encode("utf-16"),
        "mixed_line_endings.txt": (ARTICLE + "\r\n" + ARTICLE.replace("Monday", "Tuesday") + "\r" + ARTICLE.replace("Monday", "Friday") + "\n").encode(),
        "truncated.xml": rss(item)[:-40],
        "not_wellformed.xml": '<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</channel></rss>',
        "xxe.xml": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + rss(RSS_ITEM.format(i=1, text="&xxe;"), ""),
        "billion_laughs.xml": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
        + ']>' + rss(RSS_ITEM.format(i=1, text="&lol9;"), ""),
        "html_page.html": "<!DOCTYPE html><html><head><title>Login</title></head><body><form>Sign in</form></body></html>",
        "atom_no_entries.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Empty</title><id>urn:x</id></feed>',
        "rss_items_without_text.xml": rss("<item><link>https://x.example/1</link></item><item><guid>2</guid></item>"),
        "rss_latin1_declared.xml": rss(RSS_ITEM.format(i=1, text="Caf\xe9 " + ARTICLE), '<?xml version="1.0" encoding="ISO-8859-1"?>').encode("latin-1"),
        "jsonl_broken_line.jsonl": jsonl({"title": "One", "text": ARTICLE}) + '{"title": "Two", "text": \n'
        + jsonl({"title": "Three", "text": ARTICLE + " Three."}),
        "jsonl_not_objects.jsonl": "1\n[1, 2]\n\"text\"\nnull\n",
        "jsonl_deeply_nested.jsonl": "[" * 100_000 + "]" * 100_000 + "\n" + jsonl({"title": "Kept", "text": ARTICLE + " Kept."}),
        "json_array.json": json.dumps([{"title": "A", "text": ARTICLE}, {"title": "B", "text": ARTICLE + " B."}]),
        "json_scalar.json": "[1, 2, 3",
        "csv_missing_body.csv": "id,author,url\n1,Someone,https://x.example/1\n",
        "csv_quoted_newline.csv": 'title,text\nWall,"First line of the story.\nSecond line of the story."\n',
        "csv_extra_values.csv": "title,text\nOne,Two,Three,Four\nGood,A story that is fine.\n",
        "csv_header_only.csv": "title,text\n",
        "dates_year_0_and_9999.jsonl": jsonl({"title": "Year zero", "text": ARTICLE, "published": "0000-01-01"},
                                             {"title": "Year 9999", "text": ARTICLE + " Later.", "published": "9999-12-31T00:00:00Z"}),
        "future_date.jsonl": jsonl({"title": "Tomorrow's news", "text": ARTICLE + " Future.", "published": "2999-01-01"}),
        "html_and_script.jsonl": jsonl({"title": "<script>alert('t')</script><b>Bold</b>", "text": "<img src=x onerror=alert(1)>" + ARTICLE}),
        "rtl_and_cjk.jsonl": jsonl({"title": "مجلس المرفأ يجتمع", "text": "اجتمع مجلس المرفأ يوم الاثنين. 港口委员会周一开会，讨论新的海堤计划。"}),
        "emoji.jsonl": jsonl({"title": "Storm 🌊 hits 🏠", "text": "🌧️🌧️ " + ARTICLE + " 👍"}),
        "zero_width.jsonl": jsonl({"title": "Zero\u200bwidth\u200d joiner\ufeff", "text": ARTICLE.replace(" ", " \u200b")}),
        "sql_in_fields.jsonl": jsonl({"title": "'; DROP TABLE articles; --", "text": "Robert'); DROP TABLE entities;-- " + ARTICLE, "id": "1 OR 1=1"}),
        "control_characters.txt": ("\x1b[31m" + ARTICLE + "\x07\x08\x1b[0m\n") * 3,
        "reuters_truncated.sgm": '<!DOCTYPE lewis SYSTEM "lewis.dtd">\n<REUTERS NEWID="1"><DATE>26-FEB-1987 15:01:01.79</DATE>'
        "<TEXT><TITLE>COCOA</TITLE><BODY>" + ARTICLE + "</BODY></TEXT></REUTERS>\n<REUTERS NEWID=\"2\"><TEXT><TITLE>CUT",
        "short_lines_only.txt": "acq\nalum\nbarley\ncocoa\n",
        "headline_only.txt": "Just a headline\n\n",
        "README.md": "# Notes\nNot news.\n",
    }


def large_files() -> dict[str, tuple[int, str]]:
    """name -> (size in bytes, generator kind); written in chunks so memory stays small."""
    return {"big_200mb.jsonl": (200 * 2**20, "jsonl"), "one_50mb_line.txt": (50 * 2**20, "line"),
            "field_over_1mb.jsonl": (3 * 2**20, "field")}


def write_large(path: Path, size: int, kind: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        if kind == "field":
            out.write(jsonl({"title": "Huge", "text": "word " * (size // 5)}, {"title": "Small", "text": ARTICLE}))
        elif kind == "line":
            chunk = ARTICLE + " "
            for _ in range(size // len(chunk)):
                out.write(chunk)
            out.write("\n")
        else:
            written, i, padding = 0, 0, "x" * 100_000
            while written < size:
                line = json.dumps({"id": i, "title": f"Item {i}", "text": f"Story number {i}.", "junk": padding}) + "\n"
                out.write(line)
                written += len(line)
                i += 1


def make(out: Path, large: bool = False) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name, content in small_files().items():
        (out / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if large:
        for name, (size, kind) in large_files().items():
            write_large(out / name, size, kind)
    loop = out / "symlink_loop"
    loop.mkdir(exist_ok=True)
    (loop / "story.jsonl").write_text(jsonl({"title": "Inside the loop", "text": ARTICLE + " Loop."}))
    if not (loop / "again").exists():
        os.symlink("..", loop / "again")
    if not (out / "dangling_link.jsonl").is_symlink():
        os.symlink(out / "does-not-exist.jsonl", out / "dangling_link.jsonl")
    if not (out / "fifo.jsonl").exists():
        os.mkfifo(out / "fifo.jsonl")
    return out


if __name__ == "__main__":
    make(Path(sys.argv[1]), "--large" in sys.argv)
