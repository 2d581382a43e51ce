// @parley/sdk: what a Parley partner app needs, for Node and browsers (fetch, URL, WebCrypto only).
export {
  ParleyOAuth,
  type ParleyOAuthOptions,
  type PendingAuthorization,
  type ThreadAuthorization,
  type TokenSet,
} from './oauth.js';
export {
  ParleyClient,
  type AccessReceipt,
  type PageOptions,
  type ParleyClientOptions,
  type TransparencyApi,
} from './client.js';
export { ACCESS_RECEIPT_HEADER, parseAccessReceipt, receiptOf } from './access-receipt.js';
export {
  ReceiptVerifier,
  type ReceiptVerifierOptions,
  type SeenTreeHead,
  type VerifiedReceipt,
} from './receipts.js';
export {
  EVENT_HEADER,
  SIGNATURE_HEADER,
  WEBHOOK_ID_HEADER,
  verifyWebhook,
  type VerifyWebhookOptions,
} from './webhooks.js';
export { parseShareReturn, shareUrl, type ShareReturn, type ShareUrlOptions } from './share.js';
export {
  ParleyApiError,
  ParleyAuthError,
  ParleyError,
  ParleyOAuthError,
  ParleyRateLimitError,
  ParleyVerificationError,
  ParleyWebhookError,
  type VerificationStep,
  type WebhookFailure,
} from './errors.js';
export {
  SCOPE_NAMES,
  type Card,
  type ConsistencyProof,
  type Friend,
  type InclusionProof,
  type List,
  type Message,
  type ParleyEvent,
  type Permissions,
  type Problem,
  type Profile,
  type ScopeName,
  type SendMessageInput,
  type Thread,
  type TransparencyEntry,
  type User,
  type WebhookEvent,
} from './types.js';
