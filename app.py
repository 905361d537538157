"""The router and the sign-in gate: nobody sees a page before signing in, and each user sees only their pages.

Which pages a user sees is the services' answer (retrieval/records/access.py
holds the rule); the services enforce it again on every call, so a page is
never the only guard. Pages live in ui/.
"""
from pathlib import Path

import streamlit as st

from ui.common import current_user, focus_heading_on_arrival, services, sign_out

st.set_page_config(page_title="Casework summaries", layout="wide")
st.html(Path(__file__).parent / "ui" / "style.css")  # contrast and focus rings (WCAG 2.2 AA)

user = current_user()
if user is None:
    pages = [st.Page("ui/sign_in.py", title="Sign in", default=True)]
else:
    may = services().accounts.capabilities(user)
    pages = [st.Page("ui/my_cases.py", title="My cases", default=True),
             st.Page("ui/case.py", title="Case"),
             st.Page("ui/review_queue.py", title="Review queue")]
    if services().triage is not None:  # the service says who may see and decide what
        pages.append(st.Page("ui/correspondence.py", title="Incoming correspondence"))
    if may.read_audit_log:
        pages.append(st.Page("ui/audit_log.py", title="Audit log"))
    if may.see_dashboard:
        pages.append(st.Page("ui/dashboard.py", title="Dashboard"))
    if may.manage_records:
        pages.append(st.Page("ui/records.py", title="Records"))
    if may.manage_accounts:
        pages.append(st.Page("ui/accounts.py", title="Accounts"))
    if may.manage_directory:
        pages.append(st.Page("ui/directory.py", title="Service directory"))
    with st.sidebar:
        st.write(f"Signed in as **{user.full_name or user.username}** ({user.role}, team: {user.team})")
        st.button("Sign out", on_click=sign_out)

page = st.navigation(pages)
page.run()
focus_heading_on_arrival(page.title, st.query_params.get("case"))
