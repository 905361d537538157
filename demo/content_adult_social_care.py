"""Adult social care demo cases. Everyone and everything here is fictional."""

ASC_ORG = "Kelderby Borough Council - Adult Social Care"
ASC_LINES = [
    "Adult Safeguarding Hub, Civic Offices, Guildhall Square, Kelderby KX1 1GS",
    "Telephone 01632 960350  |  asc.safeguarding@example.gov.uk",
]

CASES = [
    # ------------------------------------------------------------------ AS-2025-0310 (largest case)
    {
        "reference": "AS-2025-0310",
        "person": "P-1001",
        "team": "adult-social-care",
        "case_type": "adult-safeguarding",
        "officer": "fiona.mcallister",
        "title": "Adult safeguarding — suspected financial abuse (Section 42 enquiry)",
        "opened_on": "2025-03-04",
        "documents": [
            {
                "filename": "2025-03-04_gp-safeguarding-referral.docx",
                "date": "2025-03-04",
                "author": "Dr Anjali Rao",
                "org": "Millbrook Surgery, 2 Millbrook Lane, Kelderby KX4 2MS - Telephone 01632 960127",
                "marking": "OFFICIAL-SENSITIVE",
                "title": "Adult safeguarding concern - referral to Adult Social Care",
                "body": """
| Field | Details |
| Name | Mrs Denise Harrowby |
| Date of birth | 07/02/1961 |
| NHS number | 999 402 7731 |
| Address | 14 Larkspur Row, Kelderby KX4 7QZ |
| Telephone | 07700 900412 |
| GP | Dr Anjali Rao, Millbrook Surgery |
| Referrer | Dr Anjali Rao, GP |
| Date of concern | 03/03/2025 (surgery appointment) |
| Does the person know about this referral? | Yes, and she agreed to it |

## Health and care needs

Chronic obstructive pulmonary disease (moderate), on inhalers; hypertension; low mood after
the death of her husband in March 2023. No formal diagnosis of cognitive impairment. She
lives alone apart from her nephew, who moved in towards the end of 2024. She receives no
care services.

## What happened

Mrs Harrowby attended for a COPD review on 03/03/2025. She has lost weight: 52.1 kg today,
compared with 58.4 kg in September 2024. She looked unkempt, which is new for her, and her
clothes were not warm enough for the weather. She said she had not collected her last two
prescriptions because she "didn't have the money for the bus". When asked about eating, she
said "there's not much in" and that "Jason looks after the money now". She said she does not
know where her money goes and that her savings "have gone down a lot". She became tearful and
said she did not want her nephew "to get into bother".

I carried out a 6-item Cognitive Impairment Test: score 12/28, which suggests significant
cognitive impairment and needs further assessment. She could not recall the address given in
the test and was unsure of the month.

## Type of abuse suspected

Financial or material abuse; possible neglect (self-neglect linked to lack of money and
possible cognitive decline).

## Risk

I consider the risk to be medium to high: continuing loss of money, weight loss, missed
medication for a long-term lung condition, and possible cognitive impairment that may make it
harder for her to protect herself. No physical injuries seen.

## Action taken by the practice

Blood tests and a memory clinic referral discussed; she has agreed to the blood tests
(booked 10/03/2025). Inhalers issued today. Practice will offer a follow-up appointment in
two weeks. She said she had already spoken to "someone at the benefits" last week.

Signed: Dr Anjali Rao        Date: 04/03/2025
""",
            },
            {
                "filename": "2025-03-04_case-notes.txt",
                "text": """
ADULT SOCIAL CARE — SAFEGUARDING CASE NOTES
Case reference: AS-2025-0310
Adult: Mrs Denise Harrowby, 14 Larkspur Row, Kelderby KX4 7QZ
NHS number: 999 402 7731
Allocated worker: Fiona McAllister, Social Worker
Safeguarding manager: Helen Brooks

04/03/2025 — Safeguarding concern received from Dr Anjali Rao, Millbrook
Surgery (see referral). Linked to a concern from Asha Patel, Universal Credit
Benefits Review Team, received 27/02/2025 and logged as awaiting triage. Both
concerns triaged together today by H. Brooks. Section 42 criteria met: Mrs
Harrowby appears to have care and support needs (COPD, possible cognitive
impairment), is experiencing or at risk of financial abuse and self-neglect,
and because of those needs may be unable to protect herself. Section 42
enquiry opened and allocated to F. McAllister. Police checks requested.

04/03/2025 — Police information (shared under the information sharing
agreement): Mr Jason Harrowby, 34, previous conviction for theft from an
employer (2019) and a caution for fraud (2021). No current investigation.

05/03/2025 — Phone call with Mrs Harrowby, 10:40. Introduced myself and the
reason for the call. She was happy to talk and said her nephew was out. She
confirmed Jason has had her bank card "since after Christmas" and knows her
PIN. She said "I just want my money to be mine again, but I don't want him in
prison". She agreed to a home visit on 12/03/2025 at 14:00, when Jason is
usually out. She agreed to me contacting Fenbridge Building Society.

06/03/2025 — Spoke to the Vulnerable Customer Support Team at Fenbridge
Building Society (Marcus Bell). With Mrs Harrowby's consent given by phone
on a three-way call, her debit card was cancelled and a new card ordered for
collection in branch by Mrs Harrowby only. Bank to send a transaction summary.

07/03/2025 — Email and transaction summary received from Fenbridge (see
email). Pattern of late-night cash withdrawals and transfers to an account in
the name of J HARROWBY since November 2024. Savings reduced from £5,820.55 to
£412.30.

10/03/2025 — Mr Jason Harrowby phoned the Safeguarding Hub at 09:15 asking
"who stopped my aunt's card". He was angry and swore. No information given.
Risk reviewed with H. Brooks: possible increased risk to Mrs Harrowby. I phoned
her at 09:50; she said Jason had "shouted a bit" and gone out, and that she was
all right. Police informed (call reference KX-25-029915). Welfare check by phone
agreed daily until the visit.

12/03/2025 — Home visit completed (see separate record).

14/03/2025 — Mental capacity assessment completed (see separate record).
Strategy meeting arranged for 18/03/2025 at 10:00, Civic Offices and Teams.
— F. McAllister
""",
            },
            {
                "filename": "2025-03-07_email-building-society.eml",
                "date": "2025-03-07 14:12",
                "from": "Marcus Bell <marcus.bell@example.org>",
                "to": "Fiona McAllister <fiona.mcallister@example.gov.uk>",
                "subject": "Mrs D Harrowby - transaction summary (your ref AS-2025-0310)",
                "body": """
Dear Fiona,

Thank you for your call yesterday. As agreed with Mrs Harrowby on our three-way
call, I attach a summary of activity on her accounts from 1 November 2024 to 28
February 2025 (Harrowby_transaction_summary_Nov24-Feb25.csv). Mrs Harrowby gave
her consent for this to be shared with Kelderby Adult Social Care for the
purpose of the safeguarding enquiry.

Key points from our review:

- Before November 2024 Mrs Harrowby made one or two cash withdrawals a month,
  usually £50 to £100, in daytime hours at the branch ATM.
- From November 2024 the number and size of withdrawals increased sharply. In
  February 2025 alone there were 9 ATM withdrawals of £200.00 each (£1,800.00)
  and two transfers of £200.00 to an account in the name of J HARROWBY
  (£400.00), a total of £2,200.00.
- Most of the cash withdrawals since December took place between 22:00 and
  02:00 at ATMs in Kelderby town centre.
- Her instant access savings account fell from £5,820.55 on 01/11/2024 to
  £412.30 on 28/02/2025, through transfers into her current account.
- The two online transfers were made using the mobile banking app, which was
  registered on a new device on 19/11/2024.

Actions taken:

- Debit card cancelled 06/03/2025; replacement available for collection by
  Mrs Harrowby in person at our Kelderby branch with photo ID.
- Mobile banking device registration removed; new registration will need
  Mrs Harrowby to attend branch.
- A vulnerability marker has been added to her accounts, with her agreement.

We are reviewing whether any of the transactions can be treated as
unauthorised. This will depend partly on the outcome of any police
investigation. I would be happy to attend a strategy meeting.

Kind regards,

Marcus Bell
Vulnerable Customer Support Team, Fenbridge Building Society
Telephone 01632 960640
""",
                "attachments": [
                    {
                        "filename": "Harrowby_transaction_summary_Nov24-Feb25.csv",
                        "mime": "text/csv",
                        "text": """
month,atm_withdrawals,atm_total_gbp,transfers_to_J_HARROWBY_gbp,savings_moved_to_current_gbp,savings_closing_balance_gbp
2024-10 (for comparison),2,150.00,0.00,0.00,5820.55
2024-11,4,600.00,0.00,1000.00,4820.55
2024-12,7,1150.00,300.00,1500.00,3320.55
2025-01,8,1500.00,400.00,1600.00,1720.55
2025-02,9,1800.00,400.00,1308.25,412.30
total Nov-Feb,28,5050.00,1100.00,5408.25,
""",
                    }
                ],
            },
            {
                "filename": "2025-03-12_home-visit-record.md",
                "text": """
# Home visit record — AS-2025-0310

**Adult:** Mrs Denise Harrowby · 14 Larkspur Row, Kelderby KX4 7QZ
**Date and time:** 12/03/2025, 14:00 – 15:20
**Worker:** Fiona McAllister, Social Worker
**Also present:** Mrs Pauline Everard, neighbour, at Mrs Harrowby's request
**Mr Jason Harrowby:** not present (Mrs Harrowby said he was "at the bookies")

## The home

Terraced house, tidy downstairs but cold (heating off; Mrs Harrowby said she
"saves it for the evening"). Fridge contained milk, a few yoghurts and a food
parcel from the community pantry, mostly unopened because she "didn't know what
to do with the pasta". A pile of unopened post on the hall table included a
letter from a short-term lender, FastFunds Direct Ltd, about a loan of £800.00
taken out in her name on 02/01/2025. Mrs Harrowby said she had never heard of it.
The back bedroom contains Mr Harrowby's belongings and a large new television
still in its box.

## What Mrs Harrowby told me

She said Jason is "a good lad really" and came to stay when he lost his flat.
At first he did the shopping, then he "started keeping the card". When she
asked about money he would say she had "spent it on the bills" and that she was
"getting muddled". She said she does sometimes forget things, such as whether
she has taken her tablets, and that this frightens her. She said she has felt
"a burden" since her husband Raymond died.

She was upset when we talked about the loan letter and said "that's not me, I'd
never". She said Jason has never hit her, but he shouts when she asks about
money and she "keeps quiet now".

## How she presented

Thin, with loose-fitting clothes. Breathless on the stairs. Alert and warm in
conversation. She asked twice during the visit what my name was and why I had
come, but followed the conversation well once reminded. Pauline Everard said
she had noticed Denise "going downhill" since Christmas and had been taking
her the occasional meal.

## What Mrs Harrowby wants (Making Safeguarding Personal)

- "I want my money to be mine again."
- "I want to stay in my own house."
- "I don't want Jason in prison, but I want him to stop."
- She would like Pauline to help her with shopping.

## Risk and immediate actions

- Risk remains high while Mr Harrowby lives at the address and the loan is
  unexplained. Mrs Harrowby does not want him to be told to leave yet.
- Agreed: she will collect her new card on 13/03/2025 with Pauline; she will not
  share the PIN; Pauline will help with a weekly shop.
- Loan letter photographed (with consent) for the police and building society.
- Capacity assessment about managing her bank card and accounts booked for
  14/03/2025, as I have some doubt given the GP's cognitive test.
- Daily phone check continues; she has my number and the out-of-hours number.
""",
            },
            {
                "filename": "2025-03-14_mental-capacity-assessment.docx",
                "date": "2025-03-14",
                "author": "Fiona McAllister",
                "org": "Kelderby Borough Council - Adult Social Care",
                "marking": "OFFICIAL-SENSITIVE",
                "title": "Mental Capacity Act 2005 - assessment of capacity",
                "body": """
| Field | Details |
| Person | Mrs Denise Harrowby, 14 Larkspur Row, Kelderby KX4 7QZ |
| Case reference | AS-2025-0310 |
| Assessor | Fiona McAllister, Social Worker |
| Date and place | 14/03/2025, 10:30 - 11:40, at Mrs Harrowby's home |
| Others present | None (Mrs Harrowby chose to be seen alone) |

## The decision

Whether Mrs Harrowby can decide who has access to her bank card, PIN and accounts, and how
her day-to-day money is managed.

## Why capacity is being assessed

The GP's 6-item Cognitive Impairment Test (12/28) and her forgetfulness during the home visit
raise a doubt about whether she can make this decision, in the context of suspected financial
abuse. Capacity is presumed unless it is shown otherwise.

## Stage 1 - impairment or disturbance

There is evidence of a possible impairment of the functioning of the mind or brain (memory
difficulties, not yet diagnosed). Memory clinic referral is in progress.

## Stage 2 - functional test

| Test | Outcome | Evidence |
| Understand the relevant information | Yes | Explained in plain words, with a written summary. She explained back that whoever has her card and PIN "can take what they want" and that her savings are "nearly gone". |
| Retain it long enough to decide | Yes, with support | She forgot part of the information after about 20 minutes but recalled it when shown the written summary, which she kept. |
| Use or weigh the information | Yes | She weighed wanting to help Jason against losing her money: "If I give him the card again I'll have nothing, and he'll not change." |
| Communicate the decision | Yes | Clear verbal decision, repeated at the end of the visit. |

## Outcome

On the balance of probabilities, Mrs Harrowby has the capacity to make this decision at this
time, with support (written summary, time, a quiet setting). Her decision is to keep her new
card herself, not to share her PIN with anyone, and to ask Mrs Everard to help with a weekly
shop using cash she withdraws herself.

Capacity can change. She finds it harder to retain complex information and this should be
reassessed if her memory declines or if she makes decisions that appear to place her at
serious risk. This assessment does not cover larger or more complex decisions, such as making
a Lasting Power of Attorney, which would need a separate assessment.

Signed: F. McAllister        Date: 14/03/2025
""",
            },
            {
                "filename": "2025-03-18_strategy-meeting-minutes.pdf",
                "date": "2025-03-18",
                "author": "Helen Brooks",
                "title": "Safeguarding adults strategy meeting - minutes",
                "org": ASC_ORG,
                "org_lines": ASC_LINES,
                "marking": "OFFICIAL-SENSITIVE",
                "pages": [
                    """
# Safeguarding adults strategy meeting - minutes

::
Adult: Mrs Denise Harrowby, date of birth 22/07/1961, NHS number 999 402 7731
Address: 14 Larkspur Row, Kelderby KX4 7QZ
Case reference: AS-2025-0310
Date: 18 March 2025, 10:00 - 11:15, Civic Offices and online

## Present

Helen Brooks, Safeguarding Manager (chair); Fiona McAllister, Social Worker (enquiry officer);
DC Laura Hinds, Kelderby Police Adult Protection Team; Marcus Bell, Fenbridge Building Society;
Asha Patel, Universal Credit Benefits Review Team. Dr Anjali Rao (GP) sent a written report and
gave apologies. Mrs Harrowby was invited and chose not to attend; her views were shared by the
enquiry officer, and she agreed to what was shared.

## Purpose

To share information, agree whether the Section 42 enquiry should continue, agree who will do
what, and agree how Mrs Harrowby will be kept safe and informed.

## Information shared

Fiona McAllister summarised the referral, home visit and capacity assessment. Mrs Harrowby has
capacity to decide who has access to her bank card and accounts and has chosen to keep her new
card herself. Her desired outcomes are to have control of her money, to stay at home, and for
her nephew to stop taking her money. On 17/03/2025 she told Fiona she "wants it to stop" and is
now willing to speak to the police.

Marcus Bell confirmed the transaction pattern: 28 cash withdrawals totalling £5,050.00 and
transfers of £1,100.00 to an account in the name of J HARROWBY between November 2024 and
February 2025. The FastFunds Direct loan of £800.00 was paid into her current account on
02/01/2025 and withdrawn in cash over the following three days.

Asha Patel confirmed that, with Mrs Harrowby's consent, Universal Credit recovery of the
overpayment has been paused and that the household change will be reviewed if Mr Harrowby
moves out.
""",
                    """
DC Hinds confirmed that Mr Harrowby has a previous conviction for theft (2019) and a caution
for fraud (2021). Police will treat this as a possible offence of fraud by abuse of position
and theft, and will arrange a video-recorded interview with Mrs Harrowby, with an
intermediary if needed. Crime reference KX-25-030442.

## Decision

The Section 42 enquiry will continue, led by Adult Social Care, alongside the police
investigation. Enquiry actions will be coordinated so that Mrs Harrowby is not asked to give
her account more times than needed.

## Actions

| No. | Action | Owner | By |
| 1 | Video-recorded interview with Mrs Harrowby; Fiona to attend as support | DC Hinds | 28/03/2025 |
| 2 | Report the FastFunds loan as suspected identity fraud; ask lender to freeze collection | Marcus Bell / Fiona | 21/03/2025 |
| 3 | Discuss with Mrs Harrowby her options about Mr Harrowby living at the address, including her right to ask him to leave and support to do so | Fiona | 25/03/2025 |
| 4 | Care and support needs assessment (Care Act s9), including meals and shopping | Fiona | 04/04/2025 |
| 5 | Ask GP to expedite memory clinic referral | Fiona | 21/03/2025 |
| 6 | Review UC household and overpayment if circumstances change | Asha Patel | ongoing |
| 7 | Section 42 enquiry report to safeguarding manager | Fiona | 22/04/2025 |

## Risk

Risk is assessed as high, reducing. Daily phone contact to continue. If Mr Harrowby is
aggressive or threatening, Mrs Harrowby has been advised to call 999 and police have placed a
marker on the address.

Next meeting: 22 April 2025, 10:00 (outcome meeting). Minutes agreed by the chair, H. Brooks.
""",
                ],
            },
            {
                "filename": "2025-04-22_section-42-enquiry-report.pdf",
                "date": "2025-04-22",
                "author": "Fiona McAllister",
                "title": "Section 42 safeguarding enquiry report",
                "org": ASC_ORG,
                "org_lines": ASC_LINES,
                "marking": "OFFICIAL-SENSITIVE",
                "pages": [
                    """
# Section 42 safeguarding enquiry report

| Item | Details |
| Adult | Mrs Denise Harrowby, date of birth 22/07/1961 |
| NHS number | 999 402 7731 |
| Address | 14 Larkspur Row, Kelderby KX4 7QZ |
| Enquiry reference | AS-2025-0310 |
| Enquiry period | 04/03/2025 to 22/04/2025 |
| Enquiry officer | Fiona McAllister, Social Worker |
| Safeguarding manager | Helen Brooks |

## 1. Reason for the enquiry

Two safeguarding concerns were received. The first, on 27/02/2025, came from the Universal
Credit Benefits Review Team after Mrs Harrowby said she had no money for food, that her nephew
had her bank card and that she had not eaten properly for several days. The second, on
04/03/2025, came from her GP, who recorded weight loss of 6.3 kg in six months, missed
prescriptions and a cognitive screening score suggesting significant impairment.

## 2. Summary of the concerns

It was alleged that Mr Jason Harrowby, Mrs Harrowby's nephew, who moved into her home on
18/11/2024, had taken control of her bank card, PIN and mobile banking, and used her money
without her agreement. There was also concern that, as a result, Mrs Harrowby was not eating
enough, not heating her home and not collecting her medication, and that possible memory
problems made it harder for her to protect herself.
""",
                    """
## 3. How the enquiry was carried out

The enquiry was carried out by Adult Social Care, alongside a police investigation. Sources
of information were: two conversations and a home visit with Mrs Harrowby; a capacity
assessment on 14/03/2025; information from Fenbridge Building Society, including a transaction
summary; the GP referral and a later GP report; Universal Credit records shared with consent;
the strategy meeting on 18/03/2025; and a conversation with her neighbour, Mrs Pauline Everard.
Mr Harrowby was invited by letter to give his account to Adult Social Care and did not reply.
He told police at a voluntary interview on 09/04/2025 that the money was "gifts" and
"housekeeping".

## 4. Mrs Harrowby's views and desired outcomes

Mrs Harrowby was involved throughout and her views shaped the enquiry. At the start she said:
"I want my money to be mine again, but I don't want him in prison." Later she said she "wants
it to stop" and agreed to speak to the police. Her desired outcomes were:

- to have control of her own money;
- to stay living in her own home;
- for her nephew to stop taking her money; and
- to have help with shopping and meals from someone she trusts.

## 5. Mental capacity

Mrs Harrowby was assessed on 14/03/2025 as having capacity to decide who has access to her bank
card and accounts, with support. She was therefore supported to make her own decisions. The
assessment noted that her ability to retain complex information is reduced and that it should
be reviewed following the memory clinic assessment.
""",
                    """
## 6. Findings

Financial abuse: substantiated on the balance of probabilities. The building society records
show a sharp change in spending from November 2024, when Mr Harrowby moved in: 28 cash
withdrawals totalling £5,050.00, mostly late at night, and transfers of £1,100.00 to his
account between November 2024 and February 2025. Her savings fell from £5,820.55 to £412.30.
A loan of £800.00 was taken out in her name on 02/01/2025 through a mobile device registered to
her account on 19/11/2024; Mrs Harrowby says she did not apply for it and there is no evidence
that she did. Mr Harrowby's explanation that the money was gifts is not consistent with Mrs
Harrowby's account, with the late-night pattern of withdrawals, or with her lack of money for
food.

Neglect and self-neglect: partly substantiated. Mrs Harrowby's weight loss, cold home and
missed prescriptions were mainly the result of having no money, rather than an unwillingness
to look after herself. There is no evidence that Mr Harrowby deliberately withheld food or
medication, but he was aware she was going without.

Physical and psychological abuse: no evidence of physical abuse. Mrs Harrowby described Mr
Harrowby shouting when she asked about money and said she "kept quiet". This is consistent
with coercive behaviour and has been shared with the police.

## 7. Changes since the enquiry began

Mrs Harrowby collected her new card on 13/03/2025 and has not shared her PIN. With support, she
asked Mr Harrowby to leave, and he moved out on 02/04/2025. She has reported this to Universal
Credit. The lender has frozen collection of the loan while it investigates. Her weight on
15/04/2025 was 53.4 kg. Memory clinic appointment is awaited.
""",
                    """
## 8. Current risk

Risk is now assessed as medium, reducing. Mr Harrowby no longer lives at the address and no
longer has access to her accounts. Remaining risks are: possible pressure from Mr Harrowby to
return or to give him money; her memory difficulties; isolation; and her finances, which
remain tight until Universal Credit is corrected.

## 9. Protection and support plan

| Action | Who | When |
| Weekly phone contact; visit every four weeks | Fiona McAllister | until review |
| Care and support plan: shopping support (Mrs Everard, informal) and a meals service three days a week | Adult Social Care | from 28/04/2025 |
| Memory clinic assessment and follow-up | GP / memory clinic | appointment awaited |
| Police investigation and victim support | DC Hinds | ongoing |
| Loan fraud investigation; consider refund of unauthorised transactions | Fenbridge / lender | by 31/05/2025 |
| Remove housing cost contribution; consider waiver of overpayment | UC Benefits Review Team | by 09/05/2025 |
| Information about Lasting Power of Attorney, to consider when she is ready | Fiona McAllister | at review |

## 10. Outcome and recommendations

The enquiry concludes that Mrs Harrowby experienced financial abuse by her nephew, and that the
risk has been reduced but not removed. Her desired outcomes have been partly met: she has
control of her money and remains at home, and she has help with shopping. She has not yet
recovered the money taken. It is recommended that the Section 42 enquiry closes after a review
visit in June 2025, and that she then continues to receive support from the community team
under a care and support plan.

Enquiry officer: Fiona McAllister, 22/04/2025. Agreed: Helen Brooks, Safeguarding Manager,
22/04/2025.
""",
                ],
            },
            {
                "filename": "2025-04-25_outcome-letter.pdf",
                "date": "2025-04-25",
                "author": "Fiona McAllister",
                "title": "Outcome of the safeguarding enquiry",
                "org": ASC_ORG,
                "org_lines": ASC_LINES,
                "pages": [
                    """
::
Mrs Denise Harrowby
14 Larkspur Row
Kelderby
KX4 7QZ

::
Our reference: AS-2025-0310
Date: 25 April 2025

# What happened in the safeguarding enquiry

Dear Denise,

Thank you for talking to me so openly over the last few weeks. As we agreed when I visited on
24 April 2025, I am writing to you to set out what we found and what happens next. I have kept
this letter short, and I will go through it with you again on the phone next week.

## What we found

We looked into concerns that your nephew, Jason, was using your money without your agreement.
We found that he was. The building society records show that a lot of money was taken out of
your accounts between November 2024 and February 2025, and that a loan of £800.00 was taken out
in your name. This was not your fault.

## What has changed

- You have your new bank card and you have kept your PIN private.
- Jason moved out on 2 April 2025.
- The loan company has stopped asking for payments while it investigates.
- Pauline is helping you with shopping, and meals will be delivered on Mondays, Wednesdays
  and Fridays from 28 April 2025.
- Universal Credit is looking at your payments again now that Jason has moved out.

## What happens next

I will phone you every Tuesday and visit every four weeks. I will visit you on 10 June 2025 at
14:00 to see how things are. The police will keep you updated about their investigation. Your
memory clinic appointment letter should arrive soon; please let me know when it comes.

If you feel unsafe, or Jason asks you for money or your card, please call me on 01632 960350.
Out of hours, call the emergency duty team on 01632 960399. In an emergency, call 999.

Yours sincerely,

Fiona McAllister
Social Worker, Adult Social Care
""",
                ],
            },
            {
                "filename": "2025-05-06_email-from-benefits.eml",
                "date": "2025-05-06 10:31",
                "from": "Asha Patel <asha.patel@example.gov.uk>",
                "to": "Fiona McAllister <fiona.mcallister@example.gov.uk>",
                "subject": "RE: Mrs D Harrowby - UC update (your ref AS-2025-0310, our ref BR-2025-0141)",
                "body": """
Hi Fiona,

Thanks for your email of 29/04/2025. I'm writing with Mrs Harrowby's consent,
which she gave again by phone today. Here is where things stand with her
Universal Credit.

Household change: Mrs Harrowby reported on 03/04/2025 that her nephew moved
out on 02/04/2025. The housing cost contribution has been removed from the
assessment period that started on 25/03/2025, because the change happened in
that period. Her award is back to £1,284.64 a month (standard allowance
£393.45, LCWRA element £416.19, housing element £475.00). The payment on
03/05/2025 was made at that rate, with no deduction.

Overpayment: the overpayment of £182.94 for the two assessment periods from
25/11/2024 to 24/01/2025 still stands, because the decision was correct on the
information at the time. Recovery has stayed paused since 27/02/2025. On
30/04/2025 I submitted a request to Debt Management for the overpayment to be
waived, setting out the financial abuse and her health. I'll let you know the
outcome; it usually takes about six weeks.

Hardship: she has not taken a Budgeting Advance, which I think is right given
she would have to repay it. The Household Support Fund award of £150.00 for
fuel was paid in March.

Support with the claim: Mrs Harrowby has asked that you and Mrs Everard can
talk to us on her behalf. On UC this works through explicit consent for each
issue, so please have her with you (or on speaker) when you call, or ask her
to add a note to her journal. I have noted on the claim that she has memory
difficulties and that we should phone her after any letter. I would not
suggest an appointee, as she has capacity and is managing with support.

I also wanted to say that the conversation on 27/02 stayed with me. I'm glad
she is doing better.

Best wishes,

Asha Patel
Benefits Review Team, Universal Credit - Kelderby Service Centre
Telephone 01632 960214
""",
            },
            {
                "filename": "2025-06-10_review-notes.txt",
                "text": """
ADULT SOCIAL CARE — REVIEW VISIT NOTES
Case reference: AS-2025-0310
Adult: Mrs Denise Harrowby
Worker: Fiona McAllister

10/06/2025 — Review visit at home, 14:00 to 15:00, as planned. Mrs Everard
present for part of the visit at Mrs Harrowby's request.

How things are: Mrs Harrowby looked well and the house was warm. She said she
is "eating properly again" and enjoys the meals on Mondays, Wednesdays and
Fridays. Her weight at the surgery on 03/06/2025 was 55.0 kg. She is collecting
her own prescriptions with Mrs Everard, who drives her on Thursdays. She has
kept her card and PIN to herself and showed me a notebook in which she writes
down what she spends, which she says "helps with my memory".

Nephew: Mr Harrowby has not visited since he moved out. He phoned twice in May
asking to "borrow £50"; she said no both times and told me about it herself.
Police update from DC Hinds (04/06/2025): Mr Harrowby has been charged with
fraud by abuse of position and theft. First hearing at Kelderby Magistrates'
Court on 18/07/2025. Victim support has been offered and she has accepted.
Mrs Harrowby said she feels "sad about it but it's not my doing".

Money: FastFunds Direct confirmed on 29/05/2025 that the £800.00 loan has been
written off as fraud and removed from her credit file. Fenbridge Building
Society has refunded the two online transfers (£400.00) for February as
unauthorised; other transactions are still under review. UC overpayment waiver
request is still awaiting a decision (Asha Patel, Benefits Review Team).

Memory: memory clinic appointment confirmed for 02/07/2025 at Kelderby General
Hospital. Mrs Everard will go with her.

Lasting Power of Attorney: discussed. Mrs Harrowby would like to think about
naming her sister-in-law, Mrs Carol Dean, and Mrs Everard. Information leaflet
left. She does not want to decide yet.

Her view: "I feel like myself again. I just want a quiet life."

Plan: Section 42 enquiry to close. Outcome recorded as desired outcomes mostly
met. Case to transfer to the community team (Kwame Mensah's team) for a care
and support review after the memory clinic appointment. Closure summary to be
agreed with H. Brooks by 20/06/2025. — F. McAllister
""",
            },
        ],
    },
    # ------------------------------------------------------------------ AS-2025-0277
    {
        "reference": "AS-2025-0277",
        "person": "P-1009",
        "team": "adult-social-care",
        "case_type": "adult-safeguarding",
        "officer": "kwame.mensah",
        "title": "Adult safeguarding — carer strain and neglect concern",
        "opened_on": "2025-02-20",
        "documents": [
            {
                "filename": "2025-02-20_referral-and-triage-notes.txt",
                "text": """
ADULT SOCIAL CARE — SAFEGUARDING REFERRAL AND TRIAGE
Case reference: AS-2025-0277
Adult: Mr Albert Fenwick, DOB 02/04/1938 (86)
NHS number: 999 718 2054
Address: 11 Beacon Hill Road, Ravensmoor KX6 2TP
Carer: Mrs Joan Fenwick (wife, 83)
Allocated worker: Kwame Mensah, Social Worker

20/02/2025 — Concern received by phone at 11:20 from Sophie Carter,
District Nurse, Ravensmoor Community Nursing Team. On her visit at 09:00 today
she found Mr Fenwick on the bedroom floor. Mrs Fenwick said he had fallen at
about 03:00 and she could not lift him. She had put a pillow under his head and a
blanket over him and did not call for help because she "didn't want to be a
nuisance to the ambulance". He was cold but alert. Ambulance called by the
nurse; paramedics assessed him at home and he was not taken to hospital. He has
a grade 2 pressure ulcer on his sacrum, first noted a week ago, which has not
improved.

Mr Fenwick has Alzheimer's disease (diagnosed 2022) and needs help with all
personal care. Mrs Fenwick is his only carer. They have no care package: they
declined one in 2023, saying they would "manage". Their daughter, Karen, lives
about 200 miles away and visits monthly.

The nurse said Mrs Fenwick was exhausted and tearful. She told the nurse "I
can't do this anymore, I'm at the end of my tether" and that she had "shouted
at him last night and I'm ashamed of myself". She has not slept a full night
for weeks because Mr Fenwick is up and wandering. The nurse has no concerns that
Mrs Fenwick is deliberately harming him, but is worried that his care needs are
not being met and that the situation could break down.

20/02/2025 — Triage (K. Mensah with H. Brooks). Section 42 duty applies: Mr
Fenwick has care and support needs, is at risk of neglect (unmet care needs,
untreated pressure ulcer, long lie after fall), and cannot protect himself
because of his dementia. This appears to be carer strain rather than deliberate
neglect. A proportionate enquiry will be carried out alongside an urgent
needs assessment for Mr Fenwick and a carer's assessment for Mrs Fenwick.

20/02/2025 — Phone call with Mrs Fenwick, 14:00. She was relieved to be
called and agreed to a visit tomorrow. She said she "loves him to bits" but does
not know how much longer she can go on. She agreed that I can contact Karen.
Spoke to Karen by phone at 14:30: she is very worried about both parents and will
travel down on Saturday.

Actions: home visit 21/02/2025, 10:00; district nurses to visit daily for the
pressure ulcer; falls referral; emergency respite to be explored. — K. Mensah
""",
            },
            {
                "filename": "2025-02-21_home-visit-record.md",
                "text": """
# Home visit record — AS-2025-0277

**Adult:** Mr Albert Fenwick · 11 Beacon Hill Road, Ravensmoor KX6 2TP
**Visit:** 21/02/2025, 10:00 – 11:30 · **Worker:** Kwame Mensah
**Present:** Mr and Mrs Fenwick; Sophie Carter (District Nurse) for 30 minutes

## Mr Fenwick

Mr Fenwick was sitting in his armchair, dressed, and smiled when greeted. He
thought it was 1985 and asked several times when his mother was coming. He
could not tell me what help he needs, and did not recognise that he has fallen.
He needs help with washing, dressing, toileting (he is incontinent of urine at
night), eating (prompting and cutting up food), and moving around (he is unsteady
and uses furniture to hold on to). He is awake most nights. The nurse reviewed
the pressure ulcer and has ordered a pressure-relieving mattress and a profiling
bed, to be delivered 25/02/2025.

## Mrs Fenwick

Mrs Fenwick looked very tired and was tearful at times. She said: "Fifty-nine
years we've been married. I promised I'd look after him. But I'm frightened I'll
drop him, or that I'll go first." She has arthritis in both hands and had a fall
herself in January. She is doing all the laundry, cooking and cleaning and is
changing the bed most nights. She has stopped going to her church group and has
not seen her friends since before Christmas. She said she shouted at Albert on
Wednesday night when he would not go back to bed, and she was very upset about
this. She said she has never hit him and would never.

## The home

Warm and clean. Bedroom upstairs; steep stairs with one rail. Bathroom upstairs
with a bath only, no shower. Food in the cupboards and fridge. Medication is
kept in a blister pack, given by Mrs Fenwick.

## Capacity

Mr Fenwick was not able to understand or retain information about his care needs
or the options available, even when explained simply and with time, because of
his dementia. A best interests decision about short-term care will be needed;
Mrs Fenwick and Karen will be consulted. There is no Lasting Power of Attorney
for health and welfare.

## Plan agreed

1. Emergency respite for Mr Fenwick at Willowbank Care Home, 03/03/2025 to
   16/03/2025 (best interests decision recorded separately).
2. Home care to start when he returns: four calls a day.
3. Carer's assessment for Mrs Fenwick on 24/02/2025.
4. Occupational therapy: stair rail, bathing equipment, possible bed downstairs.
5. Falls team referral and a pendant alarm with a falls sensor.
6. Financial assessment — they have savings and may pay towards care.
""",
            },
            {
                "filename": "2025-02-24_carers-assessment.docx",
                "date": "2025-02-24",
                "author": "Kwame Mensah",
                "org": "Kelderby Borough Council - Adult Social Care",
                "title": "Carer's assessment (Care Act 2014, section 10)",
                "body": """
| Field | Details |
| Carer | Mrs Joan Fenwick, aged 83 |
| Person cared for | Mr Albert Fenwick (husband), AS-2025-0277 |
| Address | 11 Beacon Hill Road, Ravensmoor KX6 2TP |
| Assessor | Kwame Mensah, Social Worker |
| Date | 24/02/2025 |
| Also present | Karen Fenwick-Lowe (daughter) |

## The caring role

Mrs Fenwick provides all of Mr Fenwick's care, day and night, about 100 hours a week. This
includes personal care, continence care, meals, medication, and supervision because he
wanders at night and has fallen. She has done this without any help since 2022.

## Impact on Mrs Fenwick

| Outcome | Is it affected? | Notes |
| Looking after her own health | Yes - significantly | Arthritis; a fall in January; misses her own appointments; sleeps 3 to 4 hours a night |
| Emotional wellbeing | Yes - significantly | Tearful; says she is "at the end of my tether"; feels guilty about shouting at Albert |
| Carrying out caring responsibilities for a child | Not applicable | |
| Maintaining the home | Yes | Managing, but only by working late into the night |
| Personal relationships | Yes | Lost contact with friends and her church group |
| Work, training, education or volunteering | Not applicable | Retired |
| Recreation | Yes | No time for herself at all |

## Eligibility

Mrs Fenwick's needs arise from providing necessary care. Her physical and mental health is
deteriorating, and she is unable to achieve several of the outcomes above. As a result there
is a significant impact on her wellbeing. She has eligible needs as a carer.

## What Mrs Fenwick wants

"I want to keep looking after him, but I need help. I want a night's sleep, and I want to go
back to church on a Sunday."

## Support plan

- Replacement care: home care four times a day for Mr Fenwick, and a night sitting service
  two nights a week (arranged for Mr Fenwick, which also meets Mrs Fenwick's needs).
- Carer's personal budget of £600 a year as a direct payment, for breaks of her choosing.
- Referral to the Kelderby Carers' Centre for a dementia carers' group and emotional support.
- GP to be told of her health needs, with her agreement; carer registration at her surgery.
- Emergency plan: what happens to Albert if Joan is ill, agreed with Karen.
- Review: 20/06/2025, or sooner if things change.

Signed: K. Mensah, Social Worker        Agreed: J. Fenwick
""",
            },
            {
                "filename": "2025-03-21_safeguarding-outcome-letter.pdf",
                "date": "2025-03-21",
                "author": "Kwame Mensah",
                "title": "Outcome of the safeguarding enquiry and care arrangements",
                "org": ASC_ORG,
                "org_lines": ASC_LINES,
                "pages": [
                    """
::
Mrs Joan Fenwick
11 Beacon Hill Road
Ravensmoor
KX6 2TP

::
Our reference: AS-2025-0277
Date: 21 March 2025

# Outcome of the safeguarding enquiry and care arrangements for Albert

Dear Mrs Fenwick,

Thank you for meeting me, with Karen, on 18 March 2025, two days after Albert came home from
Willowbank Care Home. I said I would write to set out the outcome of the safeguarding enquiry
and the care that has been arranged.

## The safeguarding enquiry

The district nurse raised a concern on 20 February 2025 after Albert had a fall during the
night and was on the floor for several hours, and because he had a pressure sore. We made
enquiries to find out whether Albert's needs were being met and what help was needed.

We found that you have been caring for Albert on your own, day and night, for a long time, and
that you had reached the point of exhaustion. We did not find that you had deliberately
neglected or harmed Albert in any way. The concerns arose because Albert's needs had become
more than one person could meet without help. We have closed the safeguarding enquiry, and
Albert's care will now be supported through his care and support plan and your carer's support
plan.

## Care for Albert

Because Albert is not able to make decisions about his care himself, we made a best interests
decision with you and Karen. The following is now in place:

- home care from Brightwell Homecare four times a day, starting 17 March 2025, about 28 hours a
  week in total;
- a night sitting service on Tuesday and Friday nights, so that you can sleep;
- a profiling bed and pressure-relieving mattress, now moved to the downstairs front room;
- a pendant alarm with a falls sensor, linked to the community alarm service.
""",
                    """
The district nurses will continue to visit twice a week until the pressure sore has healed.
The occupational therapist will visit on 27 March 2025 about a wet room downstairs, which may
be funded through a Disabled Facilities Grant.

## Support for you

Your carer's personal budget of £600 a year will be paid into the account that Karen has set
up with you, for you to use for breaks. The Kelderby Carers' Centre will contact you about
their Thursday dementia carers' group. Please do see your GP about your own health, as we
discussed.

## Paying for care

The financial assessment shows that your savings are above the upper capital limit of
£23,250. This means Albert will pay the full cost of his care. Brightwell Homecare charges
£27.50 an hour, which is about £770 a week for 28 hours. The night sitting service costs
£95.00 a night. The council has arranged the care at your request and will send an invoice
every four weeks. If your savings fall to £23,250 or below, please let us know so that we can
reassess. You may also wish to check that Albert is receiving Attendance Allowance at the
higher rate, as his needs have increased. The Fenmoor Advice Centre can help with this.

## What happens next

I will review how things are going on 20 June 2025. Please contact me before then if anything
changes, if the care is not working, or if you feel you are struggling again. You do not have
to wait until you are at breaking point - asking for help early is the right thing to do.

If you are worried about Albert out of hours, please call the emergency duty team on 01632
960399. In an emergency, call 999.

Yours sincerely,

Kwame Mensah
Social Worker, Adult Social Care

Copy to: Mrs Karen Fenwick-Lowe (daughter), with consent
""",
                ],
            },
        ],
    },
    # ------------------------------------------------------------------ AS-2024-0862
    {
        "reference": "AS-2024-0862",
        "person": "P-1010",
        "team": "adult-social-care",
        "case_type": "adult-safeguarding",
        "officer": "kwame.mensah",
        "title": "Adult safeguarding — suspected cuckooing at supported tenancy",
        "opened_on": "2024-09-16",
        "documents": [
            {
                "filename": "2024-09-16_referral-email.eml",
                "date": "2024-09-16 08:57",
                "from": "Claire Dunmore <claire.dunmore@example.org>",
                "to": "Adult Safeguarding Hub <asc.safeguarding@example.gov.uk>",
                "subject": "URGENT safeguarding concern - Nathan Birch, Flat 6 Kingfisher Court",
                "body": """
Good morning,

I am the service manager at Beacon Supported Living. I am raising an urgent
safeguarding concern about one of the people we support, Nathan Birch, date of
birth 15/12/2002, Flat 6, Kingfisher Court, Kelderby KX2 9EL. Nathan has a mild
learning disability and autism. He has his own tenancy with Fenmoor Homes and
we provide 15 hours of support a week. His mother, Mrs Lorraine Birch, is his
DWP appointee and gives him £80.00 a week for food and personal spending.

Since the end of August two men, who Nathan calls "Dee" and "Tyler", have been
staying at his flat. They appear to be in their twenties. Our concerns are:

- Staff have been refused entry three times in the last week by one of the
  men, who said Nathan was "asleep". Nathan has missed five support sessions.
- Nathan's weekly money is gone within a day. On Friday he told his support
  worker he had not eaten since Wednesday.
- Two mobile phone contracts have been taken out in Nathan's name this month.
  He has one phone; he says the others are "for my mates".
- There is a strong smell of cannabis in the flat and on the stairwell, and
  neighbours have reported people coming and going at all hours.
- On Saturday our worker saw a bruise on Nathan's left cheek. Nathan said it
  was "from football". He does not play football.
- Nathan says Dee and Tyler are his best friends and that they "look after"
  him. He becomes distressed if staff question this.

We are worried that Nathan's flat is being taken over to sell drugs
(cuckooing) and that he is being financially and possibly physically
exploited. We reported this to the police on 15/09/2024 (reference
KX-24-118604) and to Fenmoor Homes. Nathan's social worker is Kwame Mensah.

We would be grateful for an urgent strategy discussion. I can be reached on
01632 960733 or 07700 900152.

Regards,

Claire Dunmore
Service Manager, Beacon Supported Living
""",
            },
            {
                "filename": "2024-09-20_strategy-discussion.md",
                "text": """
# Strategy discussion — AS-2024-0862

**Adult:** Nathan Birch, DOB 15/12/2002 · Flat 6, Kingfisher Court, Kelderby KX2 9EL
**Date:** 20/09/2024, 13:00 – 14:00 (Teams)
**Chair:** Helen Brooks, Safeguarding Manager
**Present:** Kwame Mensah (Social Worker), PC Daniel Okoro (Neighbourhood
Policing Team), Claire Dunmore (Beacon Supported Living), Jenny Pascoe
(Fenmoor Homes, Tenancy Services), Mrs Lorraine Birch (mother and appointee)
for the first 20 minutes

## Information shared

- **Police:** two men known to police for drug supply have been seen entering
  the block. One is believed to be "Dee". Intelligence suggests the flat is
  being used to store and sell drugs. A partial closure order is being
  considered so that only Nathan, his family and professionals can enter.
- **Beacon:** Nathan was seen on 18/09/2024 at the office, alone. He looked
  tired and had lost weight. He said the men "take my money for rent" and that
  he "owes them". When asked if he felt safe he said "sometimes not".
- **Fenmoor Homes:** complaints from three neighbours. Tenancy enforcement is
  on hold; Fenmoor sees Nathan as a victim and will support a closure order.
- **Mrs Birch:** Nathan has stopped answering her calls. She has noticed that
  he asks her for extra money, which is unlike him. She would like him to stay
  with her for a while.

## Nathan's views

Nathan told Kwame on 19/09/2024 that he likes having friends and "didn't have
any before". He does not want the men "in trouble". He said he would stay at his
mum's "for a bit" if the flat was "sorted".

## Capacity

Kwame will assess Nathan's capacity to decide who he allows into his home,
with easy-read materials and his support worker present. Initial view: Nathan
understands that the men are in his flat but may not understand or weigh the
risks of exploitation and "debt".

## Actions

1. Police to apply for a partial closure order; target hearing early October
   (PC Okoro).
2. Nathan to stay with his mother from 21/09/2024; Beacon to move support
   sessions to her home (Claire Dunmore).
3. Mobile phone contracts to be reported to the providers as fraud; Mrs Birch
   to help (Kwame / Mrs Birch).
4. Capacity assessment and easy-read safety plan (Kwame, by 27/09/2024).
5. Referral to the community learning disability team for work on friendships
   and keeping safe (Kwame).
6. Locks changed at Flat 6 once empty (Fenmoor Homes).

Next discussion 04/10/2024.
""",
            },
            {
                "filename": "2024-10-30_s42-enquiry-summary.pdf",
                "date": "2024-10-30",
                "author": "Kwame Mensah",
                "title": "Section 42 enquiry - summary of outcome",
                "org": ASC_ORG,
                "org_lines": ASC_LINES,
                "marking": "OFFICIAL-SENSITIVE",
                "pages": [
                    """
# Section 42 enquiry - summary of outcome

::
Adult: Nathan Birch, date of birth 15/12/2002
Address: Flat 6, Kingfisher Court, Kelderby KX2 9EL
Case reference: AS-2024-0862
Enquiry officer: Kwame Mensah, Social Worker
Safeguarding manager: Helen Brooks
Date: 30 October 2024

## Concern

On 16 September 2024 Beacon Supported Living reported that two men had moved into Nathan's
flat, that his money was being taken, that phone contracts had been taken out in his name, and
that the flat was probably being used to sell drugs (cuckooing). Nathan had an unexplained
bruise and had said he had not eaten for two days.

## What Nathan wanted

Nathan wanted to keep his flat, to keep having friends, and for "no one to get in trouble".
After the strategy discussion he said he wanted "the flat back to normal" and to "feel safe".

## Capacity

On 26 September 2024 Nathan was assessed as not having capacity to decide who to allow into his
home at that time. He understood that the men were there but could not weigh the risks, and
believed he "owed" them money for "rent". Decisions were therefore made in his best interests,
involving Nathan, his mother and his support provider. This is decision-specific and will be
reviewed as Nathan's understanding develops.

## Findings

Financial abuse and exploitation were substantiated. The police found evidence that the flat
was being used to store and supply drugs. Physical abuse was not substantiated: the cause of the
bruise could not be established, although Nathan later said "Tyler pushed me".
""",
                    """
## Action taken

- A partial closure order was made at Kelderby Magistrates' Court on 4 October 2024 for three
  months. Only Nathan, his family and named professionals may enter the flat.
- Two men were arrested on 4 October 2024 and have been charged with drug supply offences.
- The two phone contracts were cancelled by the providers as fraud, and no debt remains in
  Nathan's name.
- Fenmoor Homes changed the locks and installed a video door entry system.
- Nathan stayed with his mother from 21 September 2024 and returned to his flat on 21 October
  2024.
- His support has increased from 15 to 25 hours a week for three months, including evenings.

## Outcome

Nathan's desired outcomes have been met in part. He is back in his flat and says he feels safe.
He misses having friends and has been sad. The community learning disability team is working
with him on friendships and recognising when people are taking advantage, and he has joined a
Tuesday evening gaming club at Kelderby Library, which he says he enjoys.

## Ongoing risk

Risk is now low to medium. People who exploit others in this way sometimes try to return.
Beacon will report any unknown visitors to the police straight away. The closure order ends on
3 January 2025; the police will consider whether to extend it.

The Section 42 enquiry is closed. Nathan's care and support plan will be reviewed by Kwame
Mensah on 16 December 2024, and his support hours will be reviewed at the same time.

Enquiry officer: K. Mensah. Agreed: H. Brooks, Safeguarding Manager.
""",
                ],
            },
        ],
    },
]
