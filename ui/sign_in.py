"""Sign in: with the organisation's identity provider when OIDC is configured (st.login), else a local account.

Either way the services decide who the person is in this tool (role, team) and records the sign-in.
"""
import streamlit as st

from ui.common import USER_KEY, attempt, oidc_configured, services

st.title("Casework summaries")

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
    user = attempt(services().accounts.sign_in, username, password)
    if user is not None:
        st.session_state[USER_KEY] = user
        st.rerun()
