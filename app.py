"""The router and the sign-in gate: nobody sees a page before signing in, and each role sees only its pages.

Pages live in ui/; access to cases is enforced by the service, not here.
"""
import streamlit as st

from ui.common import current_user, sign_out

st.set_page_config(page_title="Casework summaries", layout="wide")

user = current_user()
if user is None:
    pages = [st.Page("ui/sign_in.py", title="Sign in", default=True)]
else:
    pages = [st.Page("ui/my_cases.py", title="My cases", default=True),
             st.Page("ui/case.py", title="Case"),
             st.Page("ui/review_queue.py", title="Review queue")]
    if user.role in ("supervisor", "admin"):
        pages.append(st.Page("ui/audit_log.py", title="Audit log"))
        pages.append(st.Page("ui/dashboard.py", title="Dashboard"))
    if user.role == "admin":
        pages.append(st.Page("ui/records.py", title="Records"))
    with st.sidebar:
        st.write(f"Signed in as **{user.full_name or user.username}** ({user.role}, team: {user.team})")
        st.button("Sign out", on_click=sign_out)

st.navigation(pages).run()
