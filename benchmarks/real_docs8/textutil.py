import re, html
def visible(path, tagrepl=' '):
    t = open(path, encoding='utf-8', errors='replace').read()
    if path.endswith('.html'):
        t = re.sub(r'(?is)<(script|style)\b.*?</\1>', ' ', t)
        t = re.sub(r'(?s)<!--.*?-->', ' ', t)
        t = re.sub(r'<[^>]+>', tagrepl, t)
        t = html.unescape(t)
    return t
def norm(s):
    return ' '.join(s.split()).lower()
