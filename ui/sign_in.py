"""Sign in: with the organisation's identity provider when OIDC is configured (st.login), else a local account.

Either way the services decide who the person is in this tool (role, team) and records the sign-in. A local
sign-in names the client it came from (the browser's address), which the services slow down after repeated
failures as they do a user name.
"""
import streamlit as st

from ui.common import NOTICE_KEY, USER_KEY, attempt, oidc_configured, services, settings


def client_address() -> str:
    """The browser's address: from the proxy's header when one is configured (its last entry, the one the proxy
    added), else the connection's own ("local" when the browser is on this machine)."""
    header = settings().sign_in_client_header
    forwarded = (st.context.headers.get(header) or "").split(",")[-1].strip() if header else ""
    address = st.context.ip_address  # None on this machine; not a string under AppTest, whose client is a stand-in
    return forwarded or (address if isinstance(address, str) and address else "local")


st.title("Casework summaries")
if NOTICE_KEY in st.session_state:
    st.info(st.session_state.pop(NOTICE_KEY))

if oidc_configured():
    if getattr(st.user, "is_logged_in", False):
        user = attempt(services().accounts.sign_in_identity, st.user.get("email") or st.user.get("sub") or "")
        if user is not None:
            st.session_state[USER_KEY] = user
            st.rerun()
        st.button("Sign out of your organisation account", on_click=st.logout)
    else:
        st.write("Sign in with your organisation account.")
        st.button("Sign in with your organisation account", type="primary", on_click=st.login)
    st.stop()

st.write("Sign in with the user name and password your administrator gave you.")

with st.form("sign_in"):
    username = st.text_input("User name", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    user = attempt(services().accounts.sign_in, username, password, client=client_address())
    if user is not None:
        st.session_state[USER_KEY] = user
        st.rerun()
