// Referrals: every member has a code and a link; a friend's first paid order is attributed to
// its referrer (welcome code, the member's code typed at checkout, cart attribute, claimed link,
// or invite), scored for fraud, held for the return window, then the referrer earns points once.
// A refund or cancellation inside the window cancels it; the merchant can approve, reject or
// reverse any decision.
// Each part is its own module; this one is what the rest of the app imports.
export * from "./rules";
export * from "./discounts";
export { type ReferralStatus, type Decision, type ReferralDeps, contactHasher } from "./common";
export { type ReferralLink, referralUrl, referralFor, type StorefrontReferralLink, storefrontReferral } from "./codes";
export { recordVisit } from "./visits";
export { inviteFriend } from "./invites";
export {
  type FriendRewardView,
  friendCode,
  claimFriendReward,
  claimReferralReward,
  GUEST_CODE_DAYS,
  GUEST_CODES_PER_ADDRESS_PER_DAY,
  guestKey,
  claimGuestFriendReward,
} from "./friend-reward";
export { type ReferralView, attributeOrder } from "./attribution";
export { cancelReferralForOrder, releaseReferralRewards, decideReferral } from "./release";
export { forgetReferralContacts } from "./privacy";
