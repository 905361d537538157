"""Housing team demo cases. Everyone and everything here is fictional."""

HS_ORG = "Kelderby Borough Council - Housing Solutions"
HS_LINES = [
    "Civic Offices, Guildhall Square, Kelderby KX1 1GS",
    "Telephone 01632 960300  |  housing.solutions@example.gov.uk",
]
PSH_ORG = "Kelderby Borough Council - Private Sector Housing"
PSH_LINES = [
    "Civic Offices, Guildhall Square, Kelderby KX1 1GS",
    "Telephone 01632 960310  |  private.housing@example.gov.uk",
]

CASES = [
    # ------------------------------------------------------------------ HS-2025-0412
    {
        "reference": "HS-2025-0412",
        "person": "P-1005",
        "team": "housing",
        "case_type": "housing-support",
        "officer": "daniel.hughes",
        "title": "Housing support — move-on from approved premises",
        "opened_on": "2025-02-24",
        "documents": [
            {
                "filename": "2025-02-24_duty-to-refer.docx",
                "date": "2025-02-24",
                "author": "Callum Reid",
                "org": "Probation Service - Kelderby and Fenmoor Probation Delivery Unit",
                "marking": "OFFICIAL-SENSITIVE",
                "title": "Duty to refer (Homelessness Reduction Act 2017) - referral to Kelderby Borough Council",
                "body": """
| Field | Details |
| Name | Kieran Doyle |
| Date of birth | 04/11/1993 |
| National Insurance number | QQ 73 51 08 D |
| Current address | Linden House Approved Premises, 3 Chapel Lane, Kelderby KX1 4HD |
| Telephone | 07700 900318 |
| Referring agency | Probation Service, Kelderby and Fenmoor PDU |
| Referrer | Callum Reid, Probation Officer, callum.reid@example.gov.uk, 01632 960402 |
| Consent to referral | Given verbally 21/02/2025 and signed 24/02/2025 |
| Homeless or threatened with homelessness within 56 days? | Threatened - approved premises placement is expected to end on or around 05/05/2025 |

## Background

Mr Doyle was released from HMP Ashcombe on 10/02/2025 on licence. He must reside at Linden
House Approved Premises as a condition of his licence. Placements are normally for up to
12 weeks and he will need move-on accommodation. Before custody he held an assured tenancy
with Fenmoor Homes at 41 Ropewalk Lane, Kelderby, which ended in 2024 while he was in
custody. Fenmoor Homes has told him that former tenant arrears of £1,318.40 remain.

## Restrictions relevant to housing

His licence includes an exclusion zone covering the Northgate area of Kelderby (map held by
Probation) and a condition not to contact the victim. Any proposed address must be checked
with Probation before an offer is accepted. He is managed under MAPPA Category 2, Level 1.
No restrictions on living with or near children.

## Support needs

- Alcohol use linked to offending; engaging with Kelderby Recovery Service.
- Low literacy; prefers information by phone and in person.
- Universal Credit claim made on 11/02/2025; advance payment received.
- Mother lives in Sedgecombe and is supportive, but cannot accommodate him.

## What Mr Doyle would like

A room or one-bedroom flat in Kelderby or Sedgecombe, near his recovery service and his
mother. He is willing to consider supported housing. He would like help to agree a
repayment plan for the former tenant arrears so he can join the housing register.

Signed: C. Reid, Probation Officer        Date: 24/02/2025
""",
            },
            {
                "filename": "2025-03-03_housing-assessment-notes.txt",
                "text": """
HOUSING SOLUTIONS — ASSESSMENT NOTES
Case reference: HS-2025-0412
Applicant: Mr Kieran Doyle, DOB 04/11/1993
Current address: Linden House Approved Premises, 3 Chapel Lane, Kelderby KX1 4HD
Officer: Daniel Hughes, Housing Options Officer

24/02/2025 — Duty to refer received from Callum Reid (Probation). Case
opened. Appointment booked at Linden House for 03/03/2025 (Mr Doyle must be at
the approved premises for set times, so visiting is easier for him).

03/03/2025 — Assessment interview at Linden House, 14:00 to 15:10. Present:
Mr Doyle, myself, and Alison Pike (Linden House key worker) for the first 20
minutes at his request.

Circumstances: released on licence 10/02/2025. Placement at Linden House is
expected to end around 05/05/2025. He has nowhere to go after that. He cannot
return to his mother's home in Sedgecombe (one-bedroom flat, and her landlord
will not agree). He is threatened with homelessness within 56 days, and given
the placement will end, I have accepted the relief duty from today, 03/03/2025.
The relief duty runs for 56 days, to 28/04/2025.

Income: Universal Credit, standard allowance only at present, with an advance
of £300.00 being repaid at £25.00 a month. No savings. Has a bank account.

Debts: former tenant arrears with Fenmoor Homes of £1,318.40. He said he did
not know the tenancy had ended until he received a letter in prison. He agreed
to contact Fenmoor Homes' income team and offer £10.00 a month; I will support
this. A repayment plan kept for three months would allow him to join the housing
register in Band C under our allocations policy.

Health: says he drinks "a lot less" since custody and is attending Kelderby
Recovery Service weekly. Reports ADHD (not formally diagnosed) and finds forms
hard. No physical health needs reported.

Restrictions: exclusion zone (Northgate area), no contact with the victim. He
was clear he wants to "stay out of trouble" and does not want to be anywhere
near Northgate.

Options discussed: supported housing (Oakfield Supported Housing has rooms in
Kelderby; referral made today), private rented room with help from the rent
deposit scheme, housing register once arrears plan in place.

Personal housing plan to be sent in writing, and explained to him in person
because of literacy needs. Next appointment 10/03/2025 at Linden House.
— D. Hughes
""",
            },
            {
                "filename": "2025-03-10_personal-housing-plan.pdf",
                "date": "2025-03-10",
                "author": "Daniel Hughes",
                "title": "Your personal housing plan",
                "org": HS_ORG,
                "org_lines": HS_LINES,
                "pages": [
                    """
::
Mr Kieran Doyle
c/o Linden House Approved Premises
3 Chapel Lane
Kelderby KX1 4HD

::
Our reference: HS-2025-0412
Date: 10 March 2025

# Your personal housing plan

Dear Mr Doyle,

Thank you for meeting me on 3 March 2025. This letter sets out what we agreed. We went
through it together on 10 March 2025.

## Our decision about your situation

We are satisfied that you are homeless, because your stay at Linden House is temporary and
you are expected to leave around 5 May 2025, and that you are eligible for help. This means we
owe you the relief duty. We must take reasonable steps to help you secure suitable
accommodation that is likely to be available for at least six months. The relief duty started
on 3 March 2025 and lasts for 56 days, until 28 April 2025. If you have not found somewhere by
then, we will decide what further duty we owe you and write to you.

## Steps we will take

- Send your referral to Oakfield Supported Housing (done on 3 March 2025) and chase a
  decision by 24 March 2025.
- Check any address offered to you with your probation officer, Callum Reid, so that it is
  outside your licence exclusion zone.
- Support you to agree a repayment plan with Fenmoor Homes for your former tenant arrears of
  £1,318.40.
- Offer you the rent deposit scheme if you find a private room, and help you with a claim for
  the housing element of Universal Credit.
- Phone you each week and meet you at Linden House every two weeks.
""",
                    """
## Steps you have agreed to take

- Go to your assessment with Oakfield Supported Housing when we tell you the date, and let
  us know straight away if you are offered a room.
- Contact Fenmoor Homes' income team by 21 March 2025 and offer £10.00 a month towards the
  arrears. Daniel Hughes can make the call with you if you would like.
- Keep attending Kelderby Recovery Service each week, as this is part of your plan and helps
  supported housing providers to accept you.
- Tell your probation officer and us before you agree to any address.
- Keep your Universal Credit journal up to date and tell us about any change in your income.

## Your right to ask for a review

If you think the steps in this plan are not reasonable, you can ask us to review them. You
can also ask for a review of any later decision that we have ended the relief duty. You must
ask within 21 days of being told about the decision you disagree with. You can ask in
writing, by phone or in person.

## Important

If you deliberately and unreasonably refuse to co-operate with the steps in this plan, we
may give you a warning, and after that we could end the relief duty. We will always talk to
you first, and we know that some of your appointments are fixed by your licence.

## Contact

Daniel Hughes, Housing Options Officer. Telephone 01632 960300 (ask for Daniel), or send a
message through your key worker at Linden House. Please quote HS-2025-0412.

Yours sincerely,

Daniel Hughes
Housing Options Officer
""",
                ],
            },
            {
                "filename": "2025-04-14_email-offer-of-accommodation.eml",
                "date": "2025-04-14 16:25",
                "from": "Daniel Hughes <daniel.hughes@example.gov.uk>",
                "to": "Callum Reid <callum.reid@example.gov.uk>",
                "cc": "Oakfield Supported Housing Lettings <lettings.oakfield@example.org>",
                "subject": "HS-2025-0412 Kieran Doyle - offer of room at 7 Tanners Yard, address check please",
                "body": """
Hi Callum,

Good news for Kieran Doyle. Oakfield Supported Housing has offered him Room 4
at 7 Tanners Yard, Kelderby KX3 2LW, following his assessment on 08/04/2025.
The room is available from 06/05/2025, the day after his expected move-on date
from Linden House.

Details of the offer from Oakfield:

- shared house for six men, 24-hour staffed office, key worker support of
  three hours a week;
- rent and eligible service charge of £142.50 a week, to be met through
  Housing Benefit (supported exempt accommodation), plus a personal service
  charge of £12.00 a week that Kieran pays himself for heating and lighting;
- licence agreement for up to 18 months, with move-on support;
- Oakfield operate a no-alcohol policy on the premises and will ask him to
  agree to this.

Before Kieran accepts, please could you confirm that 7 Tanners Yard is outside
his licence exclusion zone and that the address is suitable from a risk point
of view? My reading of the map is that Tanners Yard is well to the south
of the Northgate boundary, but I would rather you checked. Oakfield need an
answer by 22/04/2025 or the room will go to the next person on their list.

Kieran has done well on his plan: he set up a £10.00 a month arrangement with
Fenmoor Homes on 19/03/2025 and has paid twice. He has also kept every
appointment with me. He told me about the late return to Linden House on
16/03/2025 himself, which I appreciated.

The relief duty ends on 28/04/2025. If this offer goes ahead I will end the
duty on the basis that suitable accommodation has been secured, and he will
get a letter about that with review rights.

Thanks,

Daniel Hughes
Housing Options Officer, Kelderby Borough Council - Housing Solutions
Telephone 01632 960300
""",
            },
        ],
    },
    # ------------------------------------------------------------------ HS-2025-0388
    {
        "reference": "HS-2025-0388",
        "person": "P-1006",
        "team": "housing",
        "case_type": "housing-support",
        "officer": "megan.lloyd",
        "title": "Rent arrears — possession claim and tenancy sustainment",
        "opened_on": "2025-02-11",
        "documents": [
            {
                "filename": "2025-02-11_case-notes.txt",
                "text": """
TENANCY SUSTAINMENT — CASE NOTES
Case reference: HS-2025-0388
Tenant: Ms Samira Haddad, DOB 26/02/1988
Address: Flat 3, 22 Cobbler's Walk, Kelderby KX2 5RT
Landlord: Fenmoor Homes (assured tenancy since 2019). Rent £598.00 per month.
Household: Ms Haddad, Yusuf (9), Layla (5)
Officer: Megan Lloyd, Tenancy Sustainment Officer

11/02/2025 — Referral from Fenmoor Homes' income team (Craig Ashworth).
Section 8 notice served 06/01/2025 on grounds 8, 10 and 11. Fenmoor intends
to issue a possession claim at Kelderby County Court if no agreement is
reached. Case opened.

11/02/2025 — Phone call with Craig Ashworth, Fenmoor Homes (01632 960512).
He confirmed the arrears as at 07/02/2025 are £1,846.20, after a payment of
£318.20 received on 07/02/2025. He said Fenmoor would consider adjourning
any claim if an Alternative Payment Arrangement (direct payment of the housing
element) is in place and a regular payment towards the arrears is made. He
will email the rent statement.

11/02/2025 — Home visit to Ms Haddad, 14:30. The children were at school.
Ms Haddad explained the arrears began when she moved from tax credits and
Housing Benefit to Universal Credit in August 2024 and had to wait five weeks
for her first payment. In October 2024 she had surgery and was on Statutory
Sick Pay for six weeks, so she fell further behind. She works 16 hours a week
as a care assistant and has now returned to work. She had not opened several
letters from Fenmoor because she was "frightened of what they said". She was
anxious but engaged well and wants to keep the home; Yusuf and Layla both go to
Cobbler's Walk Primary School.

Actions agreed:
- Ms Haddad to ask Universal Credit for an Alternative Payment Arrangement
  today through her journal (I helped her write the message).
- Discretionary Housing Payment application to be completed together on
  20/02/2025; she will gather bank statements and payslips.
- Offer of £100.00 a month towards the arrears from March 2025, which I will
  put to Fenmoor.
- Referral to Fenmoor Advice Centre for a benefits check (possible entitlement
  to the childcare costs element not being claimed).
- If a claim is issued, she must not ignore the court papers and should go to
  the hearing; the court duty adviser can help on the day.

Next visit 20/02/2025, 10:00. — M. Lloyd
""",
            },
            {
                "filename": "2025-02-12_email-from-landlord.eml",
                "date": "2025-02-12 09:48",
                "from": "Craig Ashworth <craig.ashworth@example.org>",
                "to": "Megan Lloyd <megan.lloyd@example.gov.uk>",
                "subject": "Rent statement - Ms S Haddad, Flat 3, 22 Cobbler's Walk (Fenmoor ref FH-20417)",
                "body": """
Morning Megan,

Further to our call yesterday, please find attached the rent statement for Ms
Haddad's account (Rent_statement_Haddad_07-02-2025.pdf), which runs from
01/10/2024 to 07/02/2025. Ms Haddad has given us consent to share account
information with you.

The balance on the account at 07/02/2025 is shown on the statement. This
figure will be used in the particulars of claim if we go ahead and issue.
Three months' rent is £1,794.00, so ground 8 is currently met.

As discussed, Fenmoor is willing to hold off issuing a claim until
14/03/2025 if:

- the APA request is made and we receive the first direct payment of the
  housing element;
- we receive an arrears payment of at least £100.00 per month starting in
  March; and
- any DHP award is paid directly to the rent account.

If these are not in place by 14/03/2025 we will issue the claim. I should say
that our legal team will ask the court for a hearing date as soon as possible
because the notice period has expired.

Happy to discuss. I'm in the office Tuesday to Thursday.

Kind regards,

Craig Ashworth
Income Officer, Fenmoor Homes
Telephone 01632 960512
""",
                "attachments": [
                    {
                        "filename": "Rent_statement_Haddad_07-02-2025.pdf",
                        "pdf": {
                            "date": "2025-02-07",
                            "title": "Rent statement FH-20417",
                            "org": "Fenmoor Homes",
                            "org_lines": ["Income Team, Fenmoor House, 1 Navigation Wharf, Kelderby KX2 1FH",
                                          "Telephone 01632 960512"],
                            "footer": "Tenancy FH-20417",
                            "pages": [
                                """
::
Tenant: Ms Samira Haddad
Property: Flat 3, 22 Cobbler's Walk, Kelderby KX2 5RT
Tenancy reference: FH-20417
Statement period: 01/10/2024 to 07/02/2025
Rent: £598.00 per calendar month, due on the 1st

# Rent statement

| Date | Description | Debit | Credit | Balance (arrears) |
| 01/10/2024 | Balance brought forward | | | £412.80 |
| 01/10/2024 | Rent October 2024 | £598.00 | | £1,010.80 |
| 14/10/2024 | Payment - tenant | | £300.00 | £710.80 |
| 01/11/2024 | Rent November 2024 | £598.00 | | £1,308.80 |
| 08/11/2024 | Payment - tenant | | £250.00 | £1,058.80 |
| 01/12/2024 | Rent December 2024 | £598.00 | | £1,656.80 |
| 12/12/2024 | Payment - tenant | | £200.00 | £1,456.80 |
| 01/01/2025 | Rent January 2025 | £598.00 | | £2,054.80 |
| 15/01/2025 | Payment - tenant | | £150.00 | £1,904.80 |
| 01/02/2025 | Rent February 2025 | £598.00 | | £2,502.80 |
| 07/02/2025 | Payment - tenant | | £318.20 | £2,184.60 |

Balance outstanding at 07/02/2025: £2,184.60 in arrears.

A notice seeking possession (section 8, Housing Act 1988) was served on 06/01/2025. Please
contact the Income Team as soon as possible to discuss a payment arrangement.
""",
                            ],
                        },
                    }
                ],
            },
            {
                "filename": "2025-02-20_dhp-application.docx",
                "date": "2025-02-20",
                "author": "Megan Lloyd",
                "org": "Kelderby Borough Council - Housing Benefit and DHP Team",
                "title": "Discretionary Housing Payment application",
                "body": """
| Field | Details |
| Applicant | Ms Samira Haddad |
| Date of birth | 26/02/1988 |
| National Insurance number | QQ 88 02 26 A |
| Address | Flat 3, 22 Cobbler's Walk, Kelderby KX2 5RT |
| Landlord | Fenmoor Homes (tenancy ref FH-20417) |
| Rent | £598.00 per month |
| Rent arrears | £2,184.60 at 07/02/2025 (landlord statement) |
| Completed with | Megan Lloyd, Tenancy Sustainment Officer (HS-2025-0388) |

## Household

| Name | Relationship | Age |
| Samira Haddad | Applicant | 36 |
| Yusuf Haddad | Son | 9 |
| Layla Haddad | Daughter | 5 |

## Monthly income

| Source | Amount |
| Universal Credit (including housing element £598.00) | £1,093.46 |
| Wages, care assistant, 16 hours a week | £760.00 |
| Child Benefit | £184.38 |
| Total | £2,037.84 |

## Monthly spending

| Item | Amount |
| Rent | £598.00 |
| Council Tax (after Council Tax Support) | £38.20 |
| Gas and electricity | £165.00 |
| Water | £42.00 |
| Food and household | £520.00 |
| Travel to work (bus pass) | £62.00 |
| Mobile phones and internet | £48.00 |
| Children's clothing and school costs | £95.00 |
| Universal Credit advance repayment | £61.00 |
| Catalogue debt (payment plan) | £25.00 |
| Total | £1,654.20 |

## What are you asking for?

A one-off payment of £1,200.00 towards the rent arrears, to be paid directly to Fenmoor
Homes, so that the arrears fall below two months' rent and the landlord can agree not to
proceed with the possession claim.

## Why do you need help?

The arrears built up because of the five-week wait when I moved onto Universal Credit in
August 2024, and because I was on Statutory Sick Pay for six weeks after surgery in October
2024. I am now back at work. I have asked Universal Credit to pay my rent directly to
Fenmoor and I will pay £100.00 a month towards the arrears from March. I want to keep our
home. My children are settled at school nearby and Layla has speech and language support
there.

## Officer comments

Ms Haddad has engaged fully since referral. Income and spending checked against bank
statements for December 2024 and January 2025. The surplus shown is needed to meet the
arrears arrangement and irregular costs. Losing this tenancy would very likely lead to a
homelessness application for a family with two children. I support the application.

Declaration signed: S. Haddad        Date: 20/02/2025
""",
            },
            {
                "filename": "2025-03-28_letter-possession-hearing.pdf",
                "date": "2025-03-28",
                "author": "Megan Lloyd",
                "title": "Your possession hearing on 15 April 2025",
                "org": HS_ORG,
                "org_lines": HS_LINES,
                "pages": [
                    """
::
Ms Samira Haddad
Flat 3, 22 Cobbler's Walk
Kelderby
KX2 5RT

::
Our reference: HS-2025-0388
Date: 28 March 2025

# Your possession hearing on 15 April 2025

Dear Ms Haddad,

I am writing to confirm what we discussed on the phone on 27 March 2025, and to help you get
ready for the court hearing.

## The hearing

Fenmoor Homes issued a possession claim against you on 17 March 2025. The hearing will take
place at Kelderby County Court, Justice Row, Kelderby KX1 3JR, on 15 April 2025 at 10:30.
Please arrive by 10:00. It is very important that you go to the hearing, even though things
have improved. If you do not attend, the court can make a decision without hearing from you.

You should also fill in the defence form that came with the court papers and return it to the
court within 14 days of receiving the papers. I will help you with this at our appointment on
1 April 2025 at 14:00 at your home.

## Your rent account

The landlord's claim states arrears of £2,184.60 as at 7 February 2025. Since then:

- your Discretionary Housing Payment of £900.00 was paid to Fenmoor Homes on 21 March 2025;
- Universal Credit has agreed to pay your housing element of £598.00 directly to Fenmoor
  Homes each month, starting with your March payment; and
- you have paid £100.00 towards the arrears, as you agreed.

Fenmoor Homes confirmed to me on 26 March 2025 that the balance is now £1,184.60. This is
less than three months' rent (£1,794.00).
""",
                    """
## What this means

Because the arrears are now less than three months' rent, the court is less likely to be able
to make a possession order on ground 8, which is the ground where the judge has no choice. On
grounds 10 and 11 the judge must decide whether it is reasonable to make an order. The court
will look at your payment record since January, the DHP, and the direct payments from
Universal Credit. Often, in cases like yours, the court adjourns the claim on terms, or makes
a suspended order, as long as the rent and the agreed amount towards the arrears are paid.

I have asked Fenmoor Homes whether they would agree to adjourn the claim before the hearing.
They have said they will decide after checking that the direct payment has arrived in April.

## Help on the day

There is a free duty adviser at Kelderby County Court on hearing days. The duty adviser can
speak for you in court. Please tell the court staff when you arrive that you would like to
see the duty adviser. I will also attend the hearing with you for support, if you would like
me to.

## What to bring

- this letter and the court papers;
- your last three payslips and your Universal Credit statement for March;
- the letter confirming your DHP award and any receipts for payments to Fenmoor Homes.

If anything changes, or you receive any other letters from Fenmoor Homes or the court, please
call me straight away on 01632 960300 or text 07700 900761.

Yours sincerely,

Megan Lloyd
Tenancy Sustainment Officer
""",
                ],
            },
        ],
    },
    # ------------------------------------------------------------------ HS-2024-1190
    {
        "reference": "HS-2024-1190",
        "person": "P-1007",
        "team": "housing",
        "case_type": "housing-support",
        "officer": "daniel.hughes",
        "title": "Damp and mould disrepair — vulnerable older tenant",
        "opened_on": "2024-11-19",
        "documents": [
            {
                "filename": "2024-11-19_inspection-notes.md",
                "text": """
# Inspection visit notes — HS-2024-1190

**Tenant:** Mr Terence Mowbray, DOB 12/06/1947
**Address:** 5 Mill Race Cottages, Sedgecombe KX5 4JB
**Landlord:** Greystone Lettings Ltd, 88 Ferrier Street, Kelderby KX1 6LL
**Visit date:** 19/11/2024, 10:30 – 11:45
**Officers:** Daniel Hughes (Housing Options), Simon Akers (Environmental Health Officer)
**Referral:** GP practice nurse, 12/11/2024 — chest infection, concern about a cold, damp home

## Property

Two-bedroom, end-of-terrace cottage, solid stone walls, private assured
shorthold tenancy since 1998. Rent £540.00 per month, paid from state pension.

## Findings (HHSRS)

- **Damp and mould growth** — black mould across the bedroom ceiling and behind
  the wardrobe; moisture meter readings at saturation on the north wall. Gutter
  above the rear bedroom is broken and overflowing. No working extractor fan in
  the kitchen or bathroom. *Likely Category 1 hazard.*
- **Excess cold** — boiler failed in October; landlord has not repaired it.
  Heating is a single electric fan heater. Living room temperature 13°C at
  11:00 with the heater off. Single glazing in two rear windows, one cracked.
  *Likely Category 1 hazard.*
- Falls on stairs — handrail loose at the top. *Category 2.*

Mr Mowbray said he reported the boiler to the letting agent "three or four
times" by phone. He has not had a written reply.

## Observations about Mr Mowbray

Mr Mowbray was wearing a coat and woollen hat indoors. He said he only puts the
heater on "for an hour in the evening" because he is worried about the
electricity bill. He has been sleeping in his armchair downstairs because the
bedroom "smells and is freezing". His wife Maureen died in February 2024 and
he said he "doesn't bother much with cooking now". The fridge contained milk,
half a loaf and margarine; there were some tins in the cupboard. He had a fall
in the kitchen last month and did not tell anyone. He was polite, clear in
conversation and knew the date. He said he did not want to "make a fuss" or
upset the landlord in case he was asked to leave.

## Actions

1. Formal notice to be served on the landlord (EHO) — Category 1 hazards.
2. With Mr Mowbray's consent, referral to Adult Social Care for a care and
   support assessment (self-neglect risk, falls, bereavement).
3. Two oil-filled radiators loaned today from the council's winter stock.
4. Benefits check — he may be entitled to Pension Credit (not claimed), which
   would also open the Warm Home Discount. Referral to Fenmoor Advice Centre.
5. Explained his protection from retaliatory eviction while a notice is in
   force. He seemed reassured.

Follow-up phone call 26/11/2024. — D. Hughes
""",
            },
            {
                "filename": "2024-12-02_improvement-notice-letter.pdf",
                "date": "2024-12-02",
                "author": "Simon Akers",
                "title": "Improvement Notice - 5 Mill Race Cottages, Sedgecombe",
                "org": PSH_ORG,
                "org_lines": PSH_LINES,
                "pages": [
                    """
::
The Director
Greystone Lettings Ltd
88 Ferrier Street
Kelderby KX1 6LL

::
Our reference: HS-2024-1190 / IN-2024-077
Date: 2 December 2024
By recorded delivery and email

# Housing Act 2004, section 11 - Improvement Notice
# Property: 5 Mill Race Cottages, Sedgecombe KX5 4JB

Dear Sir or Madam,

The Council inspected the above property on 19 November 2024 using the Housing Health and
Safety Rating System (HHSRS). The inspection found two Category 1 hazards and one Category 2
hazard. The Council has a duty to take enforcement action in respect of Category 1 hazards. I
enclose an Improvement Notice served on you as the person having control of the property.

## Hazards identified

- Damp and mould growth (Category 1): extensive mould growth in the rear bedroom caused by
  penetrating damp from a defective rear gutter and by inadequate ventilation in the kitchen
  and bathroom.
- Excess cold (Category 1): no working fixed heating since October 2024 because the gas
  boiler has failed; single glazing to two rear windows, one with a cracked pane; loft
  insulation below 100 millimetres.
- Falls on stairs (Category 2): loose handrail at the head of the stairs.

## Works required (summary - see schedule to the notice)

- Replace the defective boiler with a new A-rated condensing boiler and provide a working
  central heating system with controls to all habitable rooms.
- Repair the rear gutter and downpipe, treat mould with a fungicidal wash, and redecorate.
- Install mechanical extract ventilation in the kitchen and bathroom.
- Replace the two rear single-glazed windows with double-glazed units.
- Top up loft insulation to a depth of at least 270 millimetres.
- Secure the stair handrail.
""",
                    """
## Timescales

The works must start no later than 6 January 2025 and be completed by 3 March 2025. Given the
time of year and the age of the tenant, the Council strongly advises that the heating is
restored as a priority and in any event before the start date. Failure to comply with an
Improvement Notice without reasonable excuse is an offence. The Council may instead impose a
civil penalty of up to £30,000, and may carry out the works itself and recover its costs.

## Your right of appeal

You may appeal against this notice to the First-tier Tribunal (Property Chamber) within 21 days
of the date on which it was served. If no appeal is made, the notice becomes operative at the
end of that period. Information about appealing is included in the notes attached to the
notice.

## Protection for the tenant

Please note that while this notice is in force, a section 21 notice served on the tenant may
be invalid under the Deregulation Act 2015 provisions on retaliatory eviction. The tenant, Mr
Mowbray, is an older person who lives alone. We ask that you or your contractor arrange
access with him in advance and that you contact me if access is a problem, rather than
contacting him repeatedly.

## Charges

The Council charges for the cost of taking enforcement action. A demand for £420.00 is
enclosed, payable within 28 days. This charge can be appealed as part of any appeal against
the notice.

If you wish to discuss the works, please contact me on 01632 960310 or at
private.housing@example.gov.uk, quoting IN-2024-077.

Yours faithfully,

Simon Akers
Environmental Health Officer, Private Sector Housing

Copy to: Mr T. Mowbray (tenant); Daniel Hughes, Housing Options (case HS-2024-1190)

Enclosures: Improvement Notice IN-2024-077 with schedule of works; notes on appeals; demand
for charges
""",
                ],
            },
            {
                "filename": "2025-03-05_reinspection-note.txt",
                "text": """
HOUSING — RE-INSPECTION AND CASE REVIEW NOTE
Case reference: HS-2024-1190        Notice: IN-2024-077
Tenant: Mr Terence Mowbray, 5 Mill Race Cottages, Sedgecombe KX5 4JB
Officers: Daniel Hughes (Housing Options), Simon Akers (EHO)

26/11/2024 — Phone call with Mr Mowbray. Using both loaned radiators. Adult
Social Care (Kwame Mensah's team) has booked an assessment for 04/12/2024.
Fenmoor Advice Centre helped him claim Pension Credit by phone on 25/11/2024.

16/12/2024 — Greystone Lettings Ltd did not appeal the notice. Letting agent
says a boiler engineer is booked for 14/01/2025.

14/01/2025 — Mr Mowbray phoned to say the new boiler has been fitted and the
heating "is on all day now". He was pleased but worried about the gas bill. I
reminded him that Pension Credit was awarded on 20/12/2024 (£47.10 a week,
backdated to 25/11/2024) and that this should bring the Warm Home Discount.

05/03/2025 — Re-inspection, 11:00. Completed: new condensing boiler and
radiators with thermostatic valves; gutter and downpipe repaired; mould
washed and bedroom redecorated; extractor fans fitted in kitchen and bathroom;
handrail secured. Outstanding: two rear windows (landlord says units on
order, fitting 24/03/2025) and loft insulation (contractor could not get
access because the loft is full of Mr Mowbray's late wife's belongings).
Living room 19°C, bedroom 17°C. Bedroom dry; no new mould.

Mr Mowbray is now sleeping upstairs again. He looked better than in November
and said he is going to the lunch club at St Aidan's Church Hall on Tuesdays
and Fridays, arranged through Adult Social Care, and a volunteer from the
befriending service visits weekly. He has had no further falls and now has a
pendant alarm. He said clearing the loft is "a job I've been putting off" and
asked for help; with his consent I have asked his befriender and the
Adult Social Care worker whether help can be arranged before the insulation
works.

Outcome: partial compliance. Time extended to 31/03/2025 for the windows and
loft insulation, agreed in writing with the landlord. Further re-inspection
booked 02/04/2025. If the works are complete, the notice will be recorded as
complied with and the housing case closed, with advice to Mr Mowbray to
contact us if any problems return. — D. Hughes
""",
            },
        ],
    },
    # ------------------------------------------------------------------ HS-2025-0450
    {
        "reference": "HS-2025-0450",
        "person": "P-1008",
        "team": "housing",
        "case_type": "housing-support",
        "officer": "megan.lloyd",
        "title": "Homelessness application — fleeing domestic abuse",
        "opened_on": "2025-03-17",
        "documents": [
            {
                "filename": "2025-03-17_initial-contact-notes.txt",
                "text": """
HOUSING SOLUTIONS — INITIAL CONTACT NOTES                  RESTRICTED ACCESS
Case reference: HS-2025-0450
Applicant: Ms Leanne Fairclough, DOB 03/09/1991
Household: son Alfie (4)
Previous address: 8 Foxglove Way, Hollinsbridge KX7 5QA (not safe to return)
Officer: Megan Lloyd

17/03/2025 — Ms Fairclough came to the Civic Offices at 09:20 with Alfie and
asked to speak to someone privately. Seen in an interview room. She said she had
left home at 06:00 while her partner, Mr Ryan Stanton, was asleep, and that she
cannot go back.

Disclosure (recorded in her words where possible): she has been in a
relationship with Mr Stanton for six years. Over the last two years he has
controlled the money, checked her phone, and stopped her seeing her sister.
He has pushed her and held her against a wall "more times than I can count".
On Saturday night (15/03/2025) he put his hands round her neck during an
argument in front of Alfie. She said "I thought that was it". She has bruising
on her upper arm, which she showed me. She has never reported him to the
police because "he said no one would believe me and they'd take Alfie".

Risk: DASH risk checklist completed with her — 16 "yes" answers, including
strangulation, escalation, and threats to take Alfie. This is high risk. MARAC
referral sent at 11:05. She agreed to speak to the police; Kelderby police
attended at 12:15 and took an initial account (incident KX-25-031277). She was
told she could apply for a non-molestation order and was given the details of
the local IDVA service.

Housing: the tenancy at 8 Foxglove Way is in Mr Stanton's sole name. She has
no other accommodation. She is eligible, homeless, and in priority need as a
person who is homeless as a result of domestic abuse. Interim accommodation
duty accepted today. With her agreement, a refuge space has been secured at
Harbour Women's Refuge (address withheld) from 17/03/2025. Taxi arranged at
14:00.

Safety: she had left her own phone behind because she believes it is
tracked. Given a basic phone from the emergency fund; she will give the number
to me and the refuge only. Advised her not to post on social media. Alfie's
nursery (Little Acorns Day Nursery) informed, with her consent, that Mr
Stanton must not collect him.

Wellbeing: she was shaking and tearful at first but very clear about what she
wanted. She has not eaten since yesterday lunchtime; we got her and Alfie
something to eat from the canteen. She is on medication for anxiety and has
enough for three days; the refuge will help her register with a GP.

Next steps: full assessment 18/03/2025 at the refuge; MARAC meeting date to be
confirmed. — M. Lloyd
""",
            },
            {
                "filename": "2025-03-18_homelessness-assessment.docx",
                "date": "2025-03-18",
                "author": "Megan Lloyd",
                "org": "Kelderby Borough Council - Housing Solutions",
                "marking": "OFFICIAL-SENSITIVE - restricted access (domestic abuse)",
                "title": "Homelessness assessment (Housing Act 1996, Part 7)",
                "body": """
| Field | Details |
| Case reference | HS-2025-0450 |
| Applicant | Leanne Fairclough, DOB 03/09/1991 |
| National Insurance number | QQ 91 03 09 B |
| Contact | 07700 900894 (new phone; do not share) |
| Current location | Harbour Women's Refuge (address withheld) |
| Assessment date | 18/03/2025, at the refuge |
| Officer | Megan Lloyd |

## Household

| Name | Relationship | Date of birth | Notes |
| Leanne Fairclough | Applicant | 03/09/1991 | Anxiety, on medication |
| Alfie Fairclough | Son | 11/06/2020 | Attends Little Acorns Day Nursery |

## Tests

| Test | Outcome | Evidence |
| Eligibility | Eligible | British citizen, passport seen 18/03/2025 |
| Homeless | Yes | Not reasonable to continue to occupy 8 Foxglove Way because of domestic abuse |
| Priority need | Yes | Homeless as a result of being a victim of domestic abuse |
| Intentionality | Not intentionally homeless | Left because of domestic abuse |
| Local connection | Not applied | Applicant is fleeing domestic abuse; wishes to stay in the borough near family support |

## Risk and safety

DASH completed 17/03/2025: high risk (16). MARAC referral made 17/03/2025; meeting listed for
27/03/2025. Police aware (incident KX-25-031277). Mr Stanton lives in Hollinsbridge and works
in Kelderby town centre. Ms Fairclough asks that any settled accommodation is not in
Hollinsbridge and not near Kelderby town centre. Her sister lives in Sedgecombe and is a key
support.

## Needs

- Settled two-bedroom accommodation with a secure front door, away from Hollinsbridge.
- Help to claim Universal Credit as a single person with a child; her income was controlled
  by Mr Stanton and she has no bank account in her sole name.
- GP registration, and support with anxiety and sleep.
- Nursery place for Alfie to continue; transport from the refuge to be arranged.
- Legal advice about a non-molestation order and child arrangements.

## Her wishes

"I want Alfie to be safe and to have a proper home, somewhere Ryan doesn't know. I want to be
near my sister."

## Plan

Interim accommodation duty continues while enquiries are completed. Housing register
application made today with Band A (urgent, domestic abuse). Section 184 decision to follow
once the police report and the refuge's support letter are received. Review at the MARAC on
27/03/2025.
""",
            },
            {
                "filename": "2025-03-24_email-refuge-update.eml",
                "date": "2025-03-24 12:06",
                "from": "Nadia Rahman <nadia.rahman@example.org>",
                "to": "Megan Lloyd <megan.lloyd@example.gov.uk>",
                "subject": "HS-2025-0450 - update on L.F. (please restrict access)",
                "body": """
Hi Megan,

Quick update on Leanne ahead of Thursday's MARAC (27/03/2025), with her
consent.

On Friday 21/03/2025 Leanne's sister saw Ryan Stanton's car parked opposite
Little Acorns Day Nursery at about 08:45. He did not get out and drove off
after ten minutes. Alfie was not at nursery that morning because we had
arranged a later taxi. Leanne reported it to the police the same day (linked to
incident KX-25-031277) and the nursery has been updated. We have agreed that
Alfie will go to a different session pattern for now and that the refuge taxi
will drop off at the side entrance.

Leanne is finding things very hard. She told me she is not sleeping more than
two or three hours a night and she is checking the windows. She said on
Saturday that she "feels like she's disappearing" and that she can't
remember the last time she made a decision for herself. She has not said she
wants to harm herself, and when I asked her directly she said no and that Alfie
keeps her going. She has a GP appointment on 26/03/2025 and has agreed to
ask about her anxiety medication and a referral for counselling. Our
children's worker is doing play sessions with Alfie, who is sleeping well and
seems settled.

Practical things:

- Universal Credit claim made on 19/03/2025, with a request for an advance.
  First appointment at the Jobcentre 25/03/2025 — our worker went with her.
- She has opened a basic bank account.
- Solicitor appointment about a non-molestation order on 28/03/2025.

Could you let us know whether there is any update on settled housing? She is
anxious that the refuge is only temporary and asks whether there is anything
in Sedgecombe, near her sister.

Thanks,

Nadia Rahman
Senior Support Worker, Harbour Women's Refuge
Telephone 01632 960590 (office)
""",
            },
            {
                "filename": "2025-05-09_section-184-decision.pdf",
                "date": "2025-05-09",
                "author": "Megan Lloyd",
                "title": "Decision on your homeless application (section 184 Housing Act 1996)",
                "org": HS_ORG,
                "org_lines": HS_LINES,
                "marking": "OFFICIAL-SENSITIVE",
                "pages": [
                    """
::
Ms Leanne Fairclough
c/o Harbour Women's Refuge
(delivered by hand)

::
Our reference: HS-2025-0450
Date: 9 May 2025

# Decision on your homeless application

Dear Ms Fairclough,

We have now completed our enquiries into your homeless application made on 17 March 2025. This
letter tells you our decision under section 184 of the Housing Act 1996.

## Our decision

We are satisfied that you:

- are eligible for assistance;
- are homeless, because it is not reasonable for you to continue to live at 8 Foxglove Way,
  Hollinsbridge, as it is probable that this would lead to domestic abuse against you;
- have a priority need, because you are homeless as a result of being a victim of domestic
  abuse, and because you have a dependent child living with you; and
- did not become homeless intentionally.

We have not referred your case to another council, because you are at risk of domestic abuse.

This means we owe you the main housing duty under section 193(2) of the Housing Act 1996. We
must make sure that suitable accommodation is available for you and Alfie until the duty ends,
usually when you accept an offer of settled accommodation.

## Your accommodation

From 12 May 2025 you will move from the refuge to self-contained temporary accommodation at a
two-bedroom flat in Sedgecombe. We have chosen Sedgecombe because you asked to be near your
sister and away from Hollinsbridge. The address will be given to you in person and will not be
written on any letter. The weekly charge is £157.00, which can be met by the housing element
of your Universal Credit.
""",
                    """
## Housing register

You are on the housing register in Band A, with effect from 17 March 2025. You can bid for up
to three properties each week through Kelderby HomeChoice. We will not offer you a property
in Hollinsbridge or the Kelderby town centre area, as you asked. If you do not bid, we may make
a direct offer of suitable accommodation, which would end the main housing duty whether or not
you accept it. We will always talk to you before making a direct offer.

## Your right to a review

If you disagree with this decision, or with the suitability of the accommodation we offer you
later, you can ask us to review it. You must ask within 21 days of receiving this letter, so by
30 May 2025. A senior officer who was not involved in this decision will carry out the review.
You can ask in writing, by phone, or through your support worker. You can ask for the
suitability of the temporary accommodation to be reviewed even after you have moved in.

## Support

Your support worker at the refuge, Nadia Rahman, will continue to support you for eight weeks
after you move. We have also referred you to the Kelderby floating support service for help
with setting up home, including furniture through the local welfare provision scheme. Please
speak to me if anything changes, including if you have any concerns about your safety.

If you are in immediate danger, call 999. For advice at any time, you can contact the refuge
or the national domestic abuse helpline.

Yours sincerely,

Megan Lloyd
Housing Options Officer, on behalf of Kelderby Borough Council
""",
                ],
            },
        ],
    },
]
