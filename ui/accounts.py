"""Accounts for administrators: the names locked after repeated failed sign-ins, and unlocking them (audited)."""
import streamlit as st

from ui.common import attempt, full_name, plain, require_user, services, show_feedback, when

user = require_user()
accounts = services().accounts
st.title("Accounts")
st.write("After repeated failed sign-ins a user name is locked for a while, whether or not the account exists, "
         "so that nobody can guess passwords. Unlock one when you have checked that its owner is the one "
         "signing in. Every unlock is recorded in the audit log.")

unlocked = st.session_state.pop("unlocked", None)
if unlocked:
    show_feedback(plain(f"{unlocked} is unlocked and may sign in again."), True)
locked = attempt(accounts.locked_accounts, user)
if locked == []:
    st.success("No user names are locked now.")
for name, standing in locked or []:
    with st.container(border=True):
        st.markdown(plain(f"{full_name(name)} ({name}): locked until {when(standing.locked_until)} after "
                          f"{standing.failures} failed sign-ins in a row."))
        if st.button(f"Unlock {name}", key=f"unlock:{name}"):
            if attempt(accounts.unlock_account, user, name) is not None:
                st.session_state["unlocked"] = name
                st.rerun()
