"""The one module that talks to Datadog: dashboards get/list/create/update/delete over the v1 API.

datadog-api-client is the HTTP layer (its connection pool, auth headers and retry policy that honours
`X-RateLimit-Reset`), but dashboards travel as plain JSON dicts in both directions: the client's models
would reject fields the server accepts and drop the ones they do not know.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import urllib3
from datadog_api_client import ApiClient, Configuration
from datadog_api_client.exceptions import ApiException, OpenApiException
from datadog_api_client.rest import ClientRetry, RESTClientObject
from datadog_api_client.v1.api.dashboards_api import DashboardsApi
from datadog_api_client.v1.api.metrics_api import MetricsApi

from metta_dash import limits
from metta_dash.errors import ConfigError, MettaDashError
from metta_dash.names import is_plain_id
from metta_dash.secrets import check_key, redact

API_KEY_ENV = "DD_API_KEY"
APP_KEY_ENV = "DD_APP_KEY"
SITE_ENV = "DD_SITE"
API_URL_ENV = "DD_API_URL"
DEFAULT_SITE = "datadoghq.com"
LIST_PAGE_SIZE = 100
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RATE_LIMIT_WAIT = 60.0
NOTABLE_WAIT = 2.0  # rate-limit waits at least this long are announced

KEYS_HINT = (
    f"check that {API_KEY_ENV} and {APP_KEY_ENV} belong to the same organisation on the site in use "
    f"({SITE_ENV} or {API_URL_ENV}) and that the application key may read and write dashboards"
)


class DatadogError(MettaDashError):
    """Datadog answered with an error (or could not be reached).

    `status` is the HTTP status (None when no answer came back); `errors` holds Datadog's own messages.
    """

    def __init__(self, message: str, hint: str = "", *, status: int | None = None, errors: list[str] | None = None):
        super().__init__(redact(message), redact(hint))
        self.status = status
        self.errors = [redact(error) for error in errors or []]


class BadAnswer(DatadogError):
    """A 2xx answer whose body is not what the endpoint returns (empty, not JSON, wrong shape): a proxy or a
    wrong API URL answering in Datadog's place. Nothing is written from it."""


class _RateLimitTooLong(urllib3.exceptions.HTTPError):
    """Raised from inside the retry policy when Datadog asks for a wait longer than the cap."""

    def __init__(self, seconds: float, cap: float):
        super().__init__(f"reset in {seconds:g} s")
        self.seconds, self.cap = seconds, cap


class AuthError(DatadogError):
    """A key is missing, or Datadog refused the keys (401/403). Never carries a key's value."""


def checked_id(dashboard_id: str) -> str:
    """`dashboard_id` when it can go into a URL path as one segment; otherwise an error before any request
    (`.` would reach /api/v1/dashboard, Datadog's bulk-delete endpoint, and `..` climb out of it)."""
    if not is_plain_id(dashboard_id):
        raise MettaDashError(
            f"{dashboard_id!r} is not a dashboard ID (like 'abc-def-ghi') nor the name of a managed dashboard",
            hint="`metta-dash list` shows IDs; copy one from the dashboard's URL",
        )
    return dashboard_id


class DashboardNotFound(DatadogError):
    """An update or delete named a dashboard id that Datadog does not know (404)."""


class _CountingRetry(ClientRetry):
    """datadog-api-client's retry policy, plus a count of retried requests, and no blind POST replays.

    A POST that failed with a 5xx or a read error may still have created the dashboard; sending it again
    would create a duplicate. It is retried only on 429 (rejected before any work) and on connection
    errors (never sent).
    """

    on_retry: Callable[[], None] | None = None
    on_wait: Callable[[str], None] | None = None
    max_wait: float = DEFAULT_MAX_RATE_LIMIT_WAIT

    def new(self, **kw: Any) -> _CountingRetry:
        retry = super().new(**kw)
        retry.on_retry, retry.on_wait, retry.max_wait = self.on_retry, self.on_wait, self.max_wait
        return retry

    def sleep_for_retry(self, response: Any = None) -> bool:
        """Wait for X-RateLimit-Reset, but never longer than `max_wait`: a one-hour reset stops the call."""
        seconds = self.get_retry_after(response) if response is not None else None
        if seconds is None:
            return False
        if seconds > self.max_wait:
            raise _RateLimitTooLong(seconds, self.max_wait)
        if seconds >= NOTABLE_WAIT and self.on_wait is not None:
            self.on_wait(f"rate limited by Datadog (HTTP 429): waiting {seconds:g} s, as its X-RateLimit-Reset asks")
        return bool(super().sleep_for_retry(response))

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method == "POST" and status_code != 429:
            return False
        return bool(super().is_retry(method, status_code, has_retry_after))

    def _is_method_retryable(self, method: str) -> bool:
        return method.upper() != "POST" and super()._is_method_retryable(method)

    def increment(self, *args: Any, **kwargs: Any) -> _CountingRetry:
        retry = super().increment(*args, **kwargs)  # raises once the budget is spent
        if self.on_retry is not None:
            self.on_retry()
        return retry


class _PooledApiClient(ApiClient):
    """ApiClient whose connection pool holds `max_connections` (the library's default is 4), so that
    concurrent pushes reuse connections instead of discarding them with a warning each."""

    def __init__(self, configuration: Configuration, max_connections: int):
        self._max_connections = max_connections
        super().__init__(configuration)

    def _build_rest_client(self) -> RESTClientObject:
        return RESTClientObject(self.configuration, maxsize=self._max_connections)


class Client:
    """A Datadog Dashboards API client that sends and returns plain dashboard dicts.

    `api_url`: explicit, else env DD_API_URL, else https://api.<site> with site from the argument, else
    DD_SITE, else datadoghq.com. Keys: explicit, else DD_API_KEY / DD_APP_KEY; a missing key raises
    AuthError naming the variable. `retries` bounds the retries of one call (429 waits for
    X-RateLimit-Reset; 5xx and connection errors back off by `backoff` * 2^n seconds, the first retry
    at once). Safe to share between threads; `max_connections` should be at least the number of threads.
    """

    def __init__(
        self,
        *,
        api_url: str | None = None,
        site: str | None = None,
        api_key: str | None = None,
        app_key: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 3,
        backoff: float = 2.0,
        max_connections: int = 16,
        max_rate_limit_wait: float = DEFAULT_MAX_RATE_LIMIT_WAIT,
        on_wait: Callable[[str], None] | None = None,
    ):
        self.api_url = resolve_api_url(api_url, site)
        api_key = api_key or os.environ.get(API_KEY_ENV) or ""
        app_key = app_key or os.environ.get(APP_KEY_ENV) or ""
        for name, value, kind in ((API_KEY_ENV, api_key, "an API key"), (APP_KEY_ENV, app_key, "an application key")):
            if not value:
                raise AuthError(
                    f"{name} is not set: talking to Datadog needs an API key and an application key",
                    hint=f"export {name} with {kind} of your Datadog organisation",
                )
            check_key(name, value)
        self.max_rate_limit_wait = max_rate_limit_wait
        self._count_lock = threading.Lock()
        self._requests_made = 0
        retry = _CountingRetry(total=retries, backoff_factor=backoff, raise_on_status=False)
        retry.on_retry, retry.on_wait, retry.max_wait = self._count_request, on_wait, max_rate_limit_wait
        configuration = Configuration(
            host=self.api_url,
            api_key={"apiKeyAuth": api_key, "appKeyAuth": app_key},
            enable_retry=True,
            max_retries=retries,
            retry_policy=retry,
            request_timeout=timeout,
            # Plain JSON both ways: no model validation of what is sent, no model built from what comes back.
            check_input_type=False,
            check_return_type=False,
            preload_content=False,
            return_http_data_only=True,
        )
        self._api_client = _PooledApiClient(configuration, max_connections)
        self._dashboards = DashboardsApi(self._api_client)

    def __repr__(self) -> str:
        return f"Client(api_url={self.api_url!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._api_client.close()

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        with self._count_lock:
            return self._requests_made

    def _count_request(self) -> None:
        with self._count_lock:
            self._requests_made += 1

    # -- operations -------------------------------------------------------------------------------

    def get(self, dashboard_id: str) -> dict[str, Any] | None:
        """The full dashboard as Datadog stores it; None only when Datadog answers 404."""
        checked_id(dashboard_id)
        action = f"get dashboard {dashboard_id}"
        try:
            return self._call(action, self._dashboards.get_dashboard, dashboard_id, expect=_dashboard_shape(action))
        except DashboardNotFound:
            return None

    def list(self) -> list[dict[str, Any]]:
        """Summaries (id, title, layout_type, url, modified_at, ...) of every dashboard, all pages."""
        summaries: list[dict[str, Any]] = []
        seen: set[Any] = set()
        while True:
            try:
                page = self._call(
                    "list dashboards", self._dashboards.list_dashboards, count=LIST_PAGE_SIZE, start=len(summaries),
                    expect=_list_shape,
                )
            except DashboardNotFound as exc:
                raise DatadogError(
                    f"could not list dashboards: {self.api_url} answered HTTP 404",
                    hint=f"check the API URL ({API_URL_ENV} / {SITE_ENV})",
                    status=404,
                    errors=exc.errors,
                ) from exc
            batch = [summary for summary in page["dashboards"] if summary["id"] not in seen]
            seen.update(summary.get("id") for summary in batch)
            summaries.extend(batch)
            if len(batch) < LIST_PAGE_SIZE:  # a short page, or a server repeating itself, ends the list
                return summaries

    def create(self, dashboard: dict[str, Any]) -> dict[str, Any]:
        """Create a dashboard; returns it as stored (with id, url, modified_at).

        A bad answer raises BadAnswer: the dashboard may exist all the same, and the next push finds it by
        its title.
        """
        action = "create dashboard"
        return self._call(action, self._dashboards.create_dashboard, dashboard, expect=_dashboard_shape(action))

    def update(self, dashboard_id: str, dashboard: dict[str, Any]) -> dict[str, Any]:
        """Replace a dashboard's content; returns it as stored. DashboardNotFound when the id is unknown."""
        checked_id(dashboard_id)
        action = f"update dashboard {dashboard_id}"
        return self._call(action, self._dashboards.update_dashboard, dashboard_id, dashboard,
                          expect=_dashboard_shape(action))

    def delete(self, dashboard_id: str) -> None:
        """Delete a dashboard. DashboardNotFound when the id is unknown."""
        self._call(f"delete dashboard {dashboard_id}", self._dashboards.delete_dashboard, checked_id(dashboard_id))

    # -- plumbing ---------------------------------------------------------------------------------

    def _call(
        self, action: str, operation: Callable[..., Any], *args: Any,
        expect: Callable[[Any], str] | None = None, **kwargs: Any,
    ) -> Any:
        """One API call; `expect` names what is wrong with a 2xx answer's JSON ('' when it has the right shape)."""
        self._count_request()
        try:
            response = operation(*args, **kwargs)
        except ApiException as exc:
            raise _error_from_response(action, exc.status, exc.body) from exc
        except _RateLimitTooLong as exc:
            raise DatadogError(
                f"could not {action}: rate limited by Datadog (HTTP 429), which asks to wait {exc.seconds:g} s "
                f"(X-RateLimit-Reset); that is more than the {exc.cap:g} s this tool waits at once, so it stopped",
                hint="retry after the reset, or raise `max_rate_limit_wait` under [tool.metta-dash]",
                status=429,
            ) from None
        except urllib3.exceptions.HTTPError as exc:
            raise DatadogError(
                f"could not {action}: no answer from {self.api_url} ({_transport_reason(exc)})",
                hint=f"check the network and the API URL ({API_URL_ENV} / {SITE_ENV})",
            ) from exc
        except OpenApiException as exc:
            raise DatadogError(f"could not {action}: {exc}") from exc
        try:
            body = response.data
        finally:
            response.release_conn()
        if expect is None:
            return None
        try:
            answer = json.loads(body) if body else None
        except (ValueError, RecursionError):
            answer, problem = None, "it is not JSON"
        else:
            problem = "it is empty" if answer is None else expect(answer)
        if problem:
            raise BadAnswer(
                f"could not {action}: the answer from {self.api_url} (HTTP {response.status}) is not what Datadog "
                f"sends: {problem}; nothing was recorded from it",
                hint=f"a proxy or a wrong API URL may be answering in Datadog's place: check {API_URL_ENV} / "
                f"{SITE_ENV}; a create may have happened all the same: the next push finds it by its title",
                status=response.status,
            )
        return answer


def resolve_api_url(api_url: str | None = None, site: str | None = None) -> str:
    """Explicit URL, else DD_API_URL, else https://api.<site> (site: argument, DD_SITE, datadoghq.com).

    Keys travel in headers, so the URL must be https; plain http only to a loopback address (a local
    emulator or tunnel). Anything else is a ConfigError, before any request.
    """
    url = api_url or os.environ.get(API_URL_ENV)
    if not url:
        url = f"https://api.{site or os.environ.get(SITE_ENV) or DEFAULT_SITE}"
    url = url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    where = f"the API URL {url!r} (--api-url / {API_URL_ENV}, or {SITE_ENV})"
    if parts is None or parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"{where} is not an http(s) URL", hint="write it in full, e.g. https://api.datadoghq.eu")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ConfigError(
            f"{where} uses plain http: the keys would cross the network unencrypted",
            hint="use https (plain http is accepted only for a loopback address such as 127.0.0.1)",
        )
    return url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _dashboard_shape(action: str) -> Callable[[Any], str]:
    def problem(answer: Any) -> str:
        if not isinstance(answer, dict):
            return f"a dashboard object was expected, got {type(answer).__name__}"
        if not is_plain_id(answer.get("id")):
            return f"its 'id' is {answer.get('id')!r}, not a dashboard ID"
        if not isinstance(answer.get("widgets"), list):
            return "it has no 'widgets' list"
        if limits.depth_beyond(answer):
            return limits.DEPTH_PROBLEM
        return ""

    return problem


def _list_shape(answer: Any) -> str:
    dashboards = answer.get("dashboards") if isinstance(answer, dict) else None
    if not isinstance(dashboards, list):
        return "a 'dashboards' list was expected"
    bad = next((d for d in dashboards if not isinstance(d, dict) or not is_plain_id(d.get("id"))), None)
    if bad is not None:
        return f"a listed dashboard has no valid 'id' ({str(bad)[:80]})"
    return ""


def _error_from_response(action: str, status: int | None, body: Any) -> DatadogError:
    errors = _datadog_messages(body)
    said = "; ".join(errors) if errors else "no error message"
    if status in (401, 403):
        return AuthError(
            f"could not {action}: Datadog refused the API key or the application key (HTTP {status}: {said})",
            hint=KEYS_HINT,
            status=status,
            errors=errors,
        )
    if status == 404:
        return DashboardNotFound(
            f"could not {action}: Datadog has no such dashboard (HTTP 404)",
            hint="the id may be stale: check the registry or pull the dashboard list",
            status=status,
            errors=errors,
        )
    if status == 429:
        return DatadogError(
            f"could not {action}: rate limited by Datadog after retries (HTTP 429: {said})",
            hint="retry later or push fewer dashboards at once",
            status=status,
            errors=errors,
        )
    if status is not None and status >= 500:
        return DatadogError(
            f"could not {action}: Datadog answered HTTP {status} after retries ({said})",
            hint="Datadog may be having trouble; retry later",
            status=status,
            errors=errors,
        )
    return DatadogError(f"could not {action}: HTTP {status}: {said}", status=status, errors=errors)


def _datadog_messages(body: Any) -> list[str]:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except ValueError:
            return [body.strip()[:500]] if body.strip() else []
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list):
            return [e if isinstance(e, str) else json.dumps(e) for e in errors]
        if isinstance(errors, str):
            return [errors]
    return []


def _transport_reason(exc: urllib3.exceptions.HTTPError) -> str:
    reason = getattr(exc, "reason", None) or exc
    return type(reason).__name__ if not str(reason) else str(reason).split(": ", 1)[-1][:200]


# -- reading Datadog's 400 messages -------------------------------------------------------------------

_OUTER = re.compile(r"Invalid widget definition at position (\d+) of type ([\w-]+)")
_INNER = re.compile(r"Invalid inner widget definition at position (\d+) of type ([\w-]+)")


def widget_for_error(
    dashboard: dict[str, Any], message: str
) -> tuple[tuple[str | int, ...], str | None, str | None] | None:
    """The widget a Datadog 400 message is about: (path, widget title, widget type), or None.

    Datadog reports `Invalid widget definition at position N of type T. Error: ...` and, for a widget
    inside a group, `... of type group. Error: Invalid inner widget definition at position M of type U`.
    The path is a tuple of keys like ("widgets", 2, "definition", "widgets", 9). When only the inner
    position is given, the group is the first one whose widget M has type U.
    """
    widgets = dashboard.get("widgets") if isinstance(dashboard, dict) else None
    if not isinstance(widgets, list):
        return None
    outer = _OUTER.search(message)
    inner = _INNER.search(message)
    if outer:
        position, kind = int(outer.group(1)), outer.group(2)
        widget = _widget_at(widgets, position)
        path: tuple[str | int, ...] = ("widgets", position)
        if inner and widget is not None:
            inner_position = int(inner.group(1))
            inner_widget = _widget_at(_definition(widget).get("widgets"), inner_position)
            if inner_widget is not None:
                return (*path, "definition", "widgets", inner_position), *_title_and_type(inner_widget)
        if widget is None:
            return path, None, kind
        return path, *_title_and_type(widget)
    if inner:
        inner_position, kind = int(inner.group(1)), inner.group(2)
        for position, widget in enumerate(widgets):
            inner_widget = _widget_at(_definition(widget).get("widgets"), inner_position)
            if inner_widget is not None and _definition(inner_widget).get("type") == kind:
                return ("widgets", position, "definition", "widgets", inner_position), *_title_and_type(inner_widget)
    return None


def _widget_at(widgets: Any, position: int) -> dict[str, Any] | None:
    if isinstance(widgets, list) and 0 <= position < len(widgets) and isinstance(widgets[position], dict):
        return widgets[position]
    return None


def _definition(widget: Any) -> dict[str, Any]:
    definition = widget.get("definition") if isinstance(widget, dict) else None
    return definition if isinstance(definition, dict) else {}


def _title_and_type(widget: dict[str, Any]) -> tuple[str | None, str | None]:
    definition = _definition(widget)
    title = definition.get("title")
    return (title if isinstance(title, str) and title else None), definition.get("type")


# -- metrics: has a metric reported lately? (for `metta-dash metrics`) ---------------------------------------
# Module functions over a Client, so that the dashboards client above stays as it is; they share its
# connection pool, retry policy (429 waits for X-RateLimit-Reset), request count and error mapping.


def metric_series(client: Client, query: str, start: int, end: int) -> list[dict[str, Any]]:
    """The series of one metrics query between two epoch seconds (GET /api/v1/query), as Datadog returns them:
    dicts with `metric`, `pointlist` ([[epoch ms, value or None], ...]), `scope`, ... An empty list when no
    series has a point in the range. An answer without a series list is a BadAnswer; a query Datadog could
    not run (`status: error`) a DatadogError carrying its message."""
    metrics = MetricsApi(client._api_client)
    answer = client._call(f"query {query}", metrics.query_metrics, _from=start, to=end, query=query,
                          expect=_query_shape)
    if answer.get("status") == "error" or answer.get("error"):
        raise DatadogError(f"could not query {query}: {answer.get('error') or 'Datadog answered status error'}")
    return [one for one in answer["series"] if isinstance(one, dict)]


def metric_is_known(client: Client, name: str) -> bool:
    """Whether Datadog has ever seen metric `name` (GET /api/v1/metrics/{name}: its metadata, 404 if never)."""
    metrics = MetricsApi(client._api_client)
    try:
        client._call(f"read the metadata of metric {name}", metrics.get_metric_metadata, name,
                     expect=_metadata_shape)
    except DashboardNotFound:  # the 404 of any endpoint: here, no such metric
        return False
    return True


def _query_shape(answer: Any) -> str:
    if not isinstance(answer, dict):
        return "it is not a JSON object"
    return "" if isinstance(answer.get("series"), list) else "it has no `series` list"


def _metadata_shape(answer: Any) -> str:
    return "" if isinstance(answer, dict) else "it is not a JSON object"

