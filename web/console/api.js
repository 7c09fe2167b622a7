// The JSON API, called with the session cookie. Every rule and role check is
// the server's: a refusal comes back as ApiError with the server's message,
// which the page shows as it is.

let csrfToken = null;

// Set after sign-in (and after a reload, from GET /session): sent as
// X-CSRF-Token on every request that may change something.
export function setCsrfToken(token) {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

// extraHeaders: e.g. {'Idempotency-Key': key}, so that a repeated submit
// returns the first response instead of doing the thing twice.
export async function api(method, path, body, extraHeaders) {
  const headers = { Accept: 'application/json', ...(extraHeaders || {}) };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network_error', 'The server could not be reached: ' + e.message);
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(response.status, err.code || 'http_' + response.status,
                       err.message || response.statusText || 'request failed', err.field);
  }
  return data;
}

// How many items a list endpoint holds, following next_cursor up to
// maxPages pages of 200; `where` keeps only some. Returns {count, more}:
// more is true when it stopped before the end.
export async function countList(path, where, maxPages = 10) {
  const sep = path.includes('?') ? '&' : '?';
  let cursor = null;
  let count = 0;
  for (let page = 0; page < maxPages; page++) {
    const url = path + sep + 'limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
    const data = await api('GET', url);
    for (const item of data.data) {
      if (!where || where(item)) count++;
    }
    if (data.next_cursor === null || data.next_cursor === undefined) return { count, more: false };
    cursor = data.next_cursor;
  }
  return { count, more: true };
}

// A file sent as the raw request body (POST /bank-statements), through
// XMLHttpRequest because fetch() reports no upload progress:
// onProgress(sentBytes, totalBytes) as the browser sends it. Resolves to the
// JSON answer; a refusal rejects with the server's ApiError, as api() does.
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1' + path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', contentType);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    if (onProgress) {
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
      xhr.upload.addEventListener('load', () => onProgress(file.size, file.size));
    }
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network_error', 'The server could not be reached.')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'The upload was stopped.')));
    xhr.addEventListener('load', () => {
      let data = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch (e) {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data);
        return;
      }
      const err = (data && data.error) || {};
      reject(new ApiError(xhr.status, err.code || 'http_' + xhr.status,
                          err.message || xhr.statusText || 'upload failed', err.field));
    });
    xhr.send(file);
  });
}
