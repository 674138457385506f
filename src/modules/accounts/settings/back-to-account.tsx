// The way back from an account settings page.

export const BACK_TO_ACCOUNT = { href: '/account', label: 'Account settings' };
