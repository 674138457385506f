// The way back from an account settings page.

export function BackToAccount() {
  return (
    <p class="small">
      <a href="/account">← Account settings</a>
    </p>
  );
}
