// The subset of webRequest event details Corsight reads, as both browsers deliver them (and as fixtures store them).

export type WebRequestEventName =
  | 'onBeforeRequest'
  | 'onBeforeSendHeaders'
  | 'onSendHeaders'
  | 'onHeadersReceived'
  | 'onBeforeRedirect'
  | 'onResponseStarted'
  | 'onCompleted'
  | 'onErrorOccurred';

export interface WebRequestHeader {
  name: string;
  value?: string;
  binaryValue?: number[];
}

export interface WebRequestDetails {
  requestId: string;
  url: string;
  method: string;
  tabId: number;
  frameId: number;
  type: string;
  timeStamp: number;
  /** Chromium: serialized origin of the initiating page. */
  initiator?: string;
  /** Firefox: full URL of the document that started the request. */
  originUrl?: string;
  documentUrl?: string;
  /** Chromium only. */
  documentId?: string;
  requestHeaders?: WebRequestHeader[];
  responseHeaders?: WebRequestHeader[];
  statusCode?: number;
  statusLine?: string;
  redirectUrl?: string;
  error?: string;
  fromCache?: boolean;
  ip?: string;
}

export interface WebRequestEvent {
  event: WebRequestEventName;
  details: WebRequestDetails;
}
