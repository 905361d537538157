"""Sign in with a local account; the service checks the password and records the sign-in."""
import streamlit as st

from ui.common import USER_KEY, attempt, service

st.title("Casework summaries")
st.write("Sign in with the user name and password your administrator gave you.")

with st.form("sign_in"):
    username = st.text_input("User name", autocomplete="username")
    password = st.text_input("Password", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Sign in", type="primary")

if submitted:
    user = attempt(service().sign_in, username, password)
    if user is not None:
        st.session_state[USER_KEY] = user
        st.rerun()
