"""Console plumbing: the logged-in session (cookie), CSRF on every form, the language, and
rendering a page with everything the base template needs."""

from __future__ import annotations

import contextlib
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from netrawat.recap.values import LOCAL_TZ
from netrawat.web import auth, i18n
from netrawat.web.common import services_of

SESSION_COOKIE = "netrawat_session"
LOGIN_CSRF_COOKIE = "netrawat_login_csrf"
LANG_COOKIE = "lang"

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.autoescape = True


def _local(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment (datetime or ISO text) in WIB."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return str(value.astimezone(LOCAL_TZ).strftime(fmt))


templates.env.filters["local"] = _local


class LoginNeeded(Exception):
    """No live session: go to the login page (then back)."""

    def __init__(self, target: str, ended: bool = False) -> None:
        super().__init__(target)
        self.target = target
        self.ended = ended


class PageError(Exception):
    """A page-level error shown with a status (403, 404, 400)."""

    def __init__(self, status: int, key: str, detail: str = "") -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.detail = detail


def lang_of(request: Request) -> str:
    return i18n.check(request.cookies.get(LANG_COOKIE))


def secure(request: Request) -> bool:
    chosen = services_of(request).settings.secure_cookies
    return request.url.scheme == "https" if chosen is None else chosen


def current_session(request: Request) -> auth.Session:
    """The page's session, else `LoginNeeded`."""
    cookie = request.cookies.get(SESSION_COOKIE)
    session = auth.find_session(services_of(request), cookie)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginNeeded(target, ended=bool(cookie))
    return session


def require_role(session: auth.Session, role: str) -> None:
    if not session.user.can(role):
        raise PageError(403, "forbidden")


async def checked_form(request: Request, session: auth.Session) -> dict[str, str]:
    """The posted form, once its CSRF token matched the session's."""
    form = await request.form()
    data = {k: str(v) for k, v in form.items()}
    if not auth.csrf_ok(session, data.get("csrf")):
        raise PageError(403, "csrf_failed")
    return data


def render(
    request: Request,
    name: str,
    session: auth.Session | None,
    code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = lang_of(request)
    from netrawat.recap import i18n as words

    return templates.TemplateResponse(
        request,
        name,
        {
            "t": i18n.translator(lang),
            # the report book's own words: events, SOP steps, durations, results
            "event": lambda kind: words.label(lang, "event", kind),
            "step": lambda key: words.text(lang, f"step_{key}"),
            "duration": lambda value: words.duration(lang, value),
            "result": lambda value: words.label(lang, "result", value),
            "lang": lang,
            "session": session,
            "user": session.user if session else None,
            "csrf": session.csrf if session else "",
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            **context,
        },
        status_code=code,
    )


def set_session_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=secure(request),
        path="/",
    )


def login_csrf(request: Request) -> str:
    """The login form's token (double-submit: the same value in a cookie and the form)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginNeeded)
    async def _login(request: Request, exc: LoginNeeded) -> Response:
        flag = "&ended=1" if exc.ended else ""
        response = RedirectResponse(f"/login?next={quote(exc.target, safe='')}{flag}", 303)
        if exc.ended:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.exception_handler(PageError)
    async def _page(request: Request, exc: PageError) -> Response:
        session = None
        with contextlib.suppress(LoginNeeded):
            session = current_session(request)
        return render(
            request, "error.html", session, code=exc.status, key=exc.key, detail=exc.detail
        )
