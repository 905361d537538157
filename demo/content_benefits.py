"""Benefits team demo cases. Everyone and everything here is fictional."""

UC_ORG = "Universal Credit - Kelderby Service Centre"
UC_LINES = [
    "Benefits Review Team, Albion House, 40 Tenter Street, Kelderby KX1 2AB",
    "Telephone 01632 960214  |  uc.kelderby@example.gov.uk",
]
PIP_ORG = "Personal Independence Payment - Kelderby Benefit Centre"
PIP_LINES = [
    "Albion House, 40 Tenter Street, Kelderby KX1 2AB",
    "Telephone 01632 960218  |  pip.kelderby@example.gov.uk",
]
CA_ORG = "Carer's Allowance Unit - Kelderby Benefit Centre"
CA_LINES = [
    "Albion House, 40 Tenter Street, Kelderby KX1 2AB",
    "Telephone 01632 960226  |  carers.kelderby@example.gov.uk",
]

CASES = [
    # ------------------------------------------------------------------ BR-2025-0141
    {
        "reference": "BR-2025-0141",
        "person": "P-1001",
        "team": "benefits",
        "case_type": "benefit-review",
        "officer": "asha.patel",
        "title": "Universal Credit review — undeclared household member",
        "opened_on": "2025-01-14",
        "documents": [
            {
                "filename": "2025-01-14_case-notes.txt",
                "text": """
UNIVERSAL CREDIT — CASE NOTES
Case reference: BR-2025-0141
Claimant: Mrs Denise Harrowby        NI number: QQ 48 27 19 A
Date of birth: 22/07/1961
Address: 14 Larkspur Row, Kelderby KX4 7QZ
Officer: Asha Patel, Benefits Review Team

14/01/2025 — Review opened. Data-match alert received 09/01/2025: a second
adult, Mr Jason Harrowby, has given 14 Larkspur Row as his address on a
separate claim since 18/11/2024. Mrs Harrowby's claim records her as a single
person living alone, with housing costs of £475.00 per month (private rented,
landlord Mr P. Whitcombe) and the limited capability for work and work-related
activity (LCWRA) element in payment since 2022. No change of household has
been reported on the journal. Assessment period runs from the 25th of each
month.

14/01/2025 — Phone call with Mrs Harrowby (07700 900412), 11:05 to 11:30.
Identity confirmed through security questions. Explained the reason for the
review. Mrs Harrowby said her nephew Jason "stays sometimes" since "before
Christmas" after he lost his flat, and that she did not think she needed to
tell us because he is family and "not a lodger". She was unsure when he
arrived: she first said October, then "after my birthday", then November. She
said he does not pay rent but "gives me something when he can". I explained
that another adult living in the home can affect the housing element and that
changes must be reported. She said she understood but asked me twice to repeat
what I needed from her.

14/01/2025 — Agreed actions: written request for information to be sent (date
Mr Harrowby moved in, whether he pays anything towards the household, his
income if known). Deadline for reply 03/02/2025. Mrs Harrowby asked that any
letter is also explained to her by phone because she "gets muddled with
forms". Reasonable adjustment recorded on the claim: phone call to follow each
letter. Diary date 21/01/2025.

14/01/2025 — Observations: Mrs Harrowby sounded breathless during the call
(COPD is recorded on the claim) and said she had been "a bit forgetful lately".
No immediate concern raised, noted for awareness. A home visit will be
considered if the information is not provided.

21/01/2025 — Follow-up call as agreed. Mrs Harrowby confirmed she had
received the letter dated 20/01/2025 and I read it through with her. She said
Jason was out and she would "ask him about the money". Towards the end of the
call I could hear a man's voice in the background and Mrs Harrowby ended the
call quickly, saying she had to go. Diary date 04/02/2025 to check for a
response.

04/02/2025 — Journal message received 02/02/2025 (typed, signed "D
Harrowby"): nephew moved in 18/11/2024, pays nothing, no income known. Passed
for decision. — A. Patel
""",
            },
            {
                "filename": "2025-01-20_request-for-information.pdf",
                "date": "2025-01-20",
                "author": "Asha Patel",
                "title": "Universal Credit - we need some information from you",
                "org": UC_ORG,
                "org_lines": UC_LINES,
                "pages": [
                    """
::
Mrs Denise Harrowby
14 Larkspur Row
Kelderby
KX4 7QZ

::
Our reference: BR-2025-0141
National Insurance number: QQ 48 27 19 A
Date: 20 January 2025

# Universal Credit - we need some information from you

Dear Mrs Harrowby,

Thank you for speaking to me on 14 January 2025. As I explained on the phone, we are
reviewing your Universal Credit claim because our records show that another adult, Mr
Jason Harrowby, may have been living at your address since November 2024. Your claim
currently shows that you live alone.

When another adult lives with you, this can change the amount of Universal Credit you
get for your housing costs. We call this a housing cost contribution. We have not made
a decision yet. We need some information from you first so that the decision is correct.

## What we need from you

- the date Mr Harrowby started living at 14 Larkspur Row
- whether he pays you anything towards rent, food or bills, and how much
- whether he has any income, such as wages or benefits, if you know this
- whether he is staying permanently or for a short time only

You can tell us by writing in your online journal, by phone on 01632 960214, or by
replying to this letter using the address above. Please quote the reference BR-2025-0141.

## When we need it by

Please give us this information by 3 February 2025. If we do not hear from you by then,
we may have to make a decision using the information we already hold, and your payments
could be reduced or stopped.

We have noted that you would like us to call you after we send a letter. I will phone
you on 21 January 2025 to go through this letter with you. If you would like someone,
such as a friend, relative or adviser, to help you with your claim, please let us know.

Yours sincerely,

Asha Patel
Benefits Review Team
""",
                ],
            },
            {
                "filename": "2025-02-18_decision-notice.pdf",
                "date": "2025-02-18",
                "author": "Asha Patel",
                "title": "Universal Credit - decision about your housing costs",
                "org": UC_ORG,
                "org_lines": UC_LINES,
                "pages": [
                    """
::
Mrs Denise Harrowby
14 Larkspur Row
Kelderby
KX4 7QZ

::
Our reference: BR-2025-0141
National Insurance number: QQ 48 27 19 A
Date of decision: 18 February 2025

# Universal Credit - decision about your housing costs

Dear Mrs Harrowby,

We have looked again at your Universal Credit award because another adult now lives in
your home. Your journal message of 2 February 2025 told us that your nephew, Mr Jason
Harrowby, has lived at 14 Larkspur Row since 18 November 2024 and that he does not pay
you anything.

## Our decision

Mr Harrowby counts as a non-dependant adult in your household. This means a housing
cost contribution of £91.47 a month is taken off the housing element of your Universal
Credit. This applies from the assessment period that started on 25 November 2024,
because that is the first assessment period in which he lived with you. None of the
exemptions applied to you or to Mr Harrowby on the information we hold.

## Your new monthly award

| Element | Amount per month |
| Standard allowance (single, 25 or over) | £393.45 |
| Limited capability for work and work-related activity | £416.19 |
| Housing element (rent £475.00) | £475.00 |
| Less housing cost contribution | -£91.47 |
| Total Universal Credit | £1,193.17 |

## Overpayment

Because the change was not reported when it happened, you have been paid too much for
two assessment periods (25 November 2024 to 24 January 2025). The overpayment is £182.94
(2 x £91.47). Overpayments of Universal Credit can be recovered. We will take
£59.01 a month from your payments starting with the payment due on 3 March 2025, so
your next payment will be £1,134.16. A separate letter will explain recovery.
""",
                    """
## If you cannot manage on the reduced amount

If paying back the overpayment at this rate means you cannot afford food, heating or other
essential costs, please contact us straight away. We can look at a lower rate of recovery or
pause recovery while your circumstances are looked at. You can also ask about a Budgeting
Advance or local help, such as the Household Support Fund from Kelderby Borough Council.

## Exemptions you should tell us about

A housing cost contribution is not taken if, for example, you get the daily living part of
Personal Independence Payment or Attendance Allowance, or if the other adult is under 21,
gets the daily living part of Personal Independence Payment, or is getting Pension Credit.
If any of these apply to you or Mr Harrowby, tell us and we will look at the decision again.
You must also tell us straight away if Mr Harrowby moves out.

## If you think this decision is wrong

You can ask us to look at the decision again. This is called a mandatory reconsideration.
You must ask by 18 March 2025, which is one month from the date of this decision. You can
ask through your journal, by phone or in writing. Tell us why you think the decision is
wrong and send any evidence that you have not already sent us.

If you ask after 18 March 2025, you must explain why you are late. We can accept a late
request in some circumstances, but we cannot look at a request made more than 13 months
after the date of the decision.

After we have looked at your mandatory reconsideration, we will send you a mandatory
reconsideration notice. If you still disagree, you can then appeal to an independent
tribunal, the First-tier Tribunal (Social Security and Child Support). You cannot appeal
until you have asked for a mandatory reconsideration.

## Getting help

Free, independent advice is available from advice services in your area, for example the
Fenmoor Advice Centre. If you would like us to phone you to explain this letter, as we have
done before, please call 01632 960214 and quote BR-2025-0141.

Yours sincerely,

Asha Patel
Benefits Review Team, on behalf of the Secretary of State
""",
                ],
            },
            {
                "filename": "2025-02-27_email-safeguarding-concern-to-asc.eml",
                "date": "2025-02-27 15:42",
                "from": "Asha Patel <asha.patel@example.gov.uk>",
                "to": "Adult Safeguarding Hub <asc.safeguarding@example.gov.uk>",
                "cc": "Grace Okafor <grace.okafor@example.gov.uk>",
                "subject": "Safeguarding concern - Mrs Denise Harrowby, 14 Larkspur Row (our ref BR-2025-0141)",
                "body": """
Dear colleagues,

I am raising a safeguarding concern about a Universal Credit claimant, Mrs
Denise Harrowby, 14 Larkspur Row, Kelderby KX4 7QZ, date of birth 22/07/1961,
phone 07700 900412. Mrs Harrowby agreed to this referral during our call today.

Mrs Harrowby phoned the Benefits Review Team at 13:50 today about our letter of
18/02/2025, which told her that her payments will be reduced from 03/03/2025 (a
housing cost contribution and overpayment recovery, because her nephew, Mr
Jason Harrowby, lives with her). She was tearful throughout the call.

She told me:

- she has £3.20 in her purse and nothing left in her account until her next
  payment on 03/03/2025;
- her nephew has had her bank card and PIN "to do the shopping" since around
  January, and she does not know what has been spent;
- she has not eaten properly "since the weekend", only tea and biscuits, and
  her electricity meter is on emergency credit;
- she has COPD and said she is worried about running out of her inhaler
  because she cannot get to the pharmacy;
- she did not want Jason "to get into trouble" and asked me not to tell him
  she had called.

She said she lives alone apart from Jason and does not have other family
nearby. Her husband died in 2023. She sounded confused at points about dates
and about what her payments were for. I have recorded on our notes that she has
told me she has been "forgetful lately". She did not say Jason had hurt her and
I did not hear anyone else during the call.

Actions taken by us today:

- overpayment recovery paused for three months pending review;
- referral made to the Kelderby Community Pantry for a food parcel, delivered
  tomorrow (28/02/2025) as she cannot easily go out;
- Household Support Fund referral made for help with fuel costs;
- advised her to ask her building society to cancel the card and issue a new
  one, which she said she would think about.

I am concerned this may be financial abuse and that Mrs Harrowby may be at risk
of neglecting her own health. I would be grateful if you could consider
whether a safeguarding enquiry is needed. I am happy to share our records with
her consent, and I am the named contact for her claim.

Kind regards,

Asha Patel
Benefits Review Team, Universal Credit - Kelderby Service Centre
Telephone 01632 960214
""",
            },
        ],
    },
    # ------------------------------------------------------------------ BR-2025-0158
    {
        "reference": "BR-2025-0158",
        "person": "P-1002",
        "team": "benefits",
        "case_type": "benefit-review",
        "officer": "tom.whitfield",
        "title": "Universal Credit — change of circumstances (earnings and childcare costs)",
        "opened_on": "2025-02-03",
        "documents": [
            {
                "filename": "2025-02-03_case-notes.txt",
                "text": """
UNIVERSAL CREDIT — CASE NOTES
Case reference: BR-2025-0158
Claimant: Ms Chloe Brannigan        NI number: QQ 61 09 44 B
Address: Flat 9, Heron Court, Wharfside Road, Kelderby KX2 8NU
Household: Mia (6) and Oscar (2)
Officer: Tom Whitfield

03/02/2025 — Change of circumstances reported on journal 01/02/2025. Ms
Brannigan started work as a pharmacy assistant at Harbour Lane Pharmacy on
06/01/2025, 24 hours a week. Oscar started at Little Acorns Day Nursery on
13/01/2025. She is claiming help with childcare costs. Assessment period runs
from the 3rd to the 2nd of each month. Rent £650.00 per month to Fenmoor Homes.

03/02/2025 — Phone call with Ms Brannigan (07700 900587). She confirmed her
first monthly pay was on 31/01/2025 and that her payslip shows take-home pay of
£1,240.00. She has been asked by the nursery to pay February's fees of £684.00
in advance and has paid this from her wages. Explained that childcare costs must
be reported with proof of payment in the assessment period in which they are
paid, or the next one. Asked her to upload the nursery invoice and receipt, and
her January payslip.

10/02/2025 — Ms Brannigan phoned, upset. Her payment on 07/02/2025 was lower
than she expected and she said she "can't make it stretch" until next month.
She said that paying the nursery up front had left her with very little and
that she had not eaten for two days so that the children could eat. She has
been using the last of the gas on her prepayment meter only when the children
are home. She was clear she would not leave the children hungry and that they
were fine. She has not told her family because she "doesn't want them to think
she can't cope".

10/02/2025 — Actions: explained the Budgeting Advance and Flexible Support
Fund for upfront childcare costs; referred to Kelderby Community Pantry (food
parcel to be collected 11/02/2025); gave details of the Household Support Fund.
Checked she was safe and had support: she said her neighbour helps with school
runs. Suggested she speak to her GP or health visitor if she keeps struggling.
Flag added to claim: possible financial hardship, check at next contact.

12/02/2025 — Nursery invoice (£684.00, February 2025) and bank receipt
received on journal. Payslip upload says "to follow". Passed to decision maker
with earnings as reported by claimant and RTI data. — T. Whitfield
""",
            },
            {
                "filename": "2025-02-10_email-from-claimant.eml",
                "date": "2025-02-10 21:17",
                "from": "Chloe Brannigan <chloe.brannigan@example.org>",
                "to": "Universal Credit Kelderby <uc.kelderby@example.gov.uk>",
                "subject": "Ref BR-2025-0158 - my wages and nursery bill (Chloe Brannigan)",
                "body": """
Hello,

I spoke to Tom Whitfield today. He said I could send this by email as well as
the journal because the upload keeps failing on my phone.

My name is Chloe Brannigan, NI number QQ 61 09 44 B. I started at Harbour Lane
Pharmacy on 6 January. My first pay went in on 31 January and my payslip says
£1,240.00 take home for January. I have put a copy of the nursery invoice with
this email (Nursery_invoice_Feb2025.pdf). The nursery wanted February paid up
front, which was £684.00, so I paid it out of my wages straight away.

My payment on Friday was a lot less than I worked out it would be. I don't
understand why. I thought I would get most of the nursery money back. I'm not
trying to be difficult, I just need to know what I'm going to get so I can
plan. At the moment I've got £31 to last until the end of the month and the
kids need shoes.

Please can someone ring me after 5pm on 07700 900587 as I can't have my phone
at work.

Thanks,
Chloe Brannigan
""",
                "attachments": [
                    {
                        "filename": "Nursery_invoice_Feb2025.pdf",
                        "pdf": {
                            "date": "2025-01-27",
                            "title": "Invoice LA-2025-0217",
                            "org": "Little Acorns Day Nursery",
                            "org_lines": ["2 Orchard Close, Kelderby KX2 8PL", "Telephone 01632 960371"],
                            "footer": "Invoice LA-2025-0217",
                            "pages": [
                                """
::
Invoice number: LA-2025-0217
Invoice date: 27 January 2025
Parent: Ms Chloe Brannigan, Flat 9, Heron Court, Wharfside Road, Kelderby KX2 8NU
Child: Oscar Brannigan

# Invoice - February 2025

| Description | Sessions | Amount |
| Full day sessions, 3 to 28 February 2025 (Mon, Wed, Thu) | 12 | £684.00 |
| Total due | | £684.00 |

Fees are payable monthly in advance, by 1 February 2025. Paid in full by bank transfer
on 31 January 2025 - thank you. Funded early education hours are not included in this
invoice because Oscar is not yet eligible for funded hours.
""",
                            ],
                        },
                    }
                ],
            },
            {
                "filename": "2025-02-14_award-explanation-letter.pdf",
                "date": "2025-02-14",
                "author": "Tom Whitfield",
                "title": "Universal Credit - how we worked out your payment",
                "org": UC_ORG,
                "org_lines": UC_LINES,
                "pages": [
                    """
::
Ms Chloe Brannigan
Flat 9, Heron Court
Wharfside Road
Kelderby KX2 8NU

::
Our reference: BR-2025-0158
National Insurance number: QQ 61 09 44 B
Assessment period: 3 January 2025 to 2 February 2025
Date: 14 February 2025

# Universal Credit - how we worked out your payment

Dear Ms Brannigan,

You asked us to explain your Universal Credit payment for the assessment period ending on
2 February 2025. We have also now included your childcare costs, so we will pay you an extra
amount for that assessment period. This letter shows how the payment has been worked out.

| Item | Amount |
| Standard allowance (single, 25 or over) | £393.45 |
| Child element - Mia | £287.92 |
| Child element - Oscar | £287.92 |
| Housing element (rent) | £650.00 |
| Childcare costs element (85% of £684.00) | £581.40 |
| Maximum amount | £2,200.69 |
| Earnings received in the assessment period (after tax and National Insurance) | £1,420.00 |
| Less work allowance | £404.00 |
| Deduction for earnings (55% of £1,016.00) | -£558.80 |
| Universal Credit for the assessment period | £1,641.89 |

The earnings figure comes from the information your employer sends to HM Revenue and
Customs through the Real Time Information (RTI) system. If you think the earnings figure is
wrong, please send us a copy of your payslip so we can check it.

Your payment of 7 February 2025 did not include the childcare costs element because proof
of payment had not been received by then. The difference of £581.40 will be paid to you
within five working days of this letter.

If you disagree with this decision you can ask for a mandatory reconsideration by 14 March
2025. If paying for childcare in advance is causing hardship, you may be able to get help from
the Flexible Support Fund - please ask your work coach.

Yours sincerely,

Tom Whitfield
Benefits Review Team
""",
                ],
            },
            {
                "filename": "2025-02-20_supervisor-check.md",
                "text": """
# Supervisor quality check — BR-2025-0158

**Claimant:** Chloe Brannigan (QQ 61 09 44 B)
**Case officer:** Tom Whitfield
**Checked by:** Grace Okafor, Team Supervisor
**Date of check:** 20/02/2025

## Scope

Routine 1-in-10 quality check on a change of circumstances case involving new
earnings and a first childcare costs claim.

## Findings

- Change of circumstances (new job from 06/01/2025, 24 hours a week) recorded
  correctly and within the right assessment period (03/01/2025 – 02/02/2025).
- Net earnings of **£1,420.00** for the assessment period taken from RTI and used in
  the award explanation letter dated 14/02/2025. Work allowance of £404.00
  applied correctly because the award includes housing costs.
- Childcare: invoice (£684.00) and proof of payment received 12/02/2025, within
  the reporting window. Element of £581.40 (85%) correctly calculated and the
  arrears payment was issued on 17/02/2025.
- Explanation letter clear and in plain English; mandatory reconsideration
  deadline (14/03/2025) stated.
- Hardship: officer recorded on 10/02/2025 that Ms Brannigan said she had not
  eaten for two days. Food bank and Household Support Fund referrals made the
  same day — good practice. The hardship flag is set on the claim.

## Points for the officer

1. The payslip upload is still outstanding. Chase at the next contact; if it
   arrives, check it against the RTI figure.
2. Record in the notes that the Flexible Support Fund was discussed with the
   work coach, not only with the claimant.
3. Next assessment period (03/02/2025 – 02/03/2025) will include the March
   nursery fees if paid in advance again. Remind Ms Brannigan to upload
   receipts promptly to avoid another gap in her payment.

## Outcome

Case meets standard. No financial error identified. Feedback given to Tom
Whitfield in supervision on 21/02/2025.

— G. Okafor
""",
            },
        ],
    },
    # ------------------------------------------------------------------ BR-2024-0977
    {
        "reference": "BR-2024-0977",
        "person": "P-1003",
        "team": "benefits",
        "case_type": "benefit-review",
        "officer": "asha.patel",
        "title": "Personal Independence Payment — award review and mandatory reconsideration",
        "opened_on": "2024-10-08",
        "documents": [
            {
                "filename": "2024-10-08_case-notes.txt",
                "text": """
PERSONAL INDEPENDENCE PAYMENT — CASE NOTES
Case reference: BR-2024-0977
Claimant: Mr Gareth Pryce        NI number: QQ 30 58 72 C
Address: 27 Quarry Bank Terrace, Hollinsbridge KX7 3DF
Officer: Asha Patel

08/10/2024 — Case opened following a phone call from Mr Pryce about the
award review decision dated 04/10/2024. The daily living component continues at
the standard rate (9 points). The mobility component, previously the standard
rate (10 points), has been removed: 4 points were awarded for moving around
(descriptor 2b). Mr Pryce has a spinal injury from a road traffic collision in
2021, chronic pain, and depression and anxiety. Mandatory reconsideration
deadline: 04/11/2024.

08/10/2024 — Phone call with Mr Pryce (07700 900233), 10:20 to 10:55. He said
he cannot walk more than "to the end of the road, about 40 yards" without
stopping, and that the assessment report says he walked 150 metres, which he
disputes. Since hearing about the decision he has cancelled his physiotherapy
because he cannot afford the taxi without the mobility money.

During the call Mr Pryce said "I can't see a way forward any more" and "I'm
just tired of all of it". I followed the team procedure and asked him directly
whether he was having thoughts of ending his life. He said he had "had dark
thoughts" but had no plans and would not act on them because of his daughter.
He agreed that I could record this. He said his GP knows about his depression.

08/10/2024 — Actions: with his agreement I gave him the details of the
Samaritans and the local NHS mental health crisis line, and encouraged him to
contact his GP today. He said he would ring Quarry Bank Surgery after the call.
Informed team supervisor (Grace Okafor) at 11:05. Agreed a follow-up call on
10/10/2024. Explained the mandatory reconsideration process and offered to help
him complete the form by phone; he asked for the form to be posted so his
sister can help him.

10/10/2024 — Follow-up call. Mr Pryce said he had seen his GP on 09/10/2024,
his medication has been reviewed and he has been referred to the Talking
Therapies service. He sounded calmer and said "it helped that someone
listened". His sister, Mrs Rhian Talbot, will help him with the form. He will
ask his physiotherapist for a letter about his walking. Reminded him of the
04/11/2024 deadline.

23/10/2024 — Mandatory reconsideration request received 22/10/2024 with a
letter from the physiotherapist. Passed to the decision maker.
""",
            },
            {
                "filename": "2024-10-22_mandatory-reconsideration-request.docx",
                "date": "2024-10-22",
                "author": "Rhian Talbot",
                "org": "Personal Independence Payment - Kelderby Benefit Centre",
                "title": "Mandatory reconsideration request - Personal Independence Payment",
                "body": """
| Field | Details |
| Name | Gareth Pryce |
| National Insurance number | QQ 30 58 72 C |
| Address | 27 Quarry Bank Terrace, Hollinsbridge KX7 3DF |
| Telephone | 07700 900233 |
| Decision being challenged | PIP award review decision dated 04/10/2024 |
| Case reference | BR-2024-0977 |
| Completed with help from | Mrs Rhian Talbot (sister) |

## Activities I disagree with

| Activity | Points awarded | Points I think apply | Reason |
| Mobility 2 - Moving around | 4 (2b: 50 to 200 metres) | 8 (2c: 20 to 50 metres) | I cannot walk more than about 40 metres before I have to stop because of pain in my lower back and left leg. |
| Mobility 1 - Planning and following journeys | 0 | 4 (1b) | On bad days my anxiety means I cannot go out alone to somewhere new without my sister. |
| Daily living 4 - Washing and bathing | 2 | 2 | I agree with this. |

## Why I think the decision is wrong

The assessment report says I walked "approximately 150 metres" from the car park to the
assessment room. This is not right. My sister dropped me at the entrance because I cannot
walk across the car park. I used my stick and I stopped twice in the corridor. The report also
says I "sat comfortably for 45 minutes", but I had to stand up and lean on the chair twice
during the assessment because of the pain.

Since the decision, I have had to stop my physiotherapy because I cannot pay for taxis. My
physiotherapist, Ms Joanne Kerr at Hollinsbridge Community Hospital, has written a letter
(enclosed) which says that I can walk "20 to 40 metres before needing to rest" and that this
has not changed since 2022.

On a bad day, which is about four days a week, I do not leave the house at all. I use a
perching stool in the kitchen and a grab rail in the bathroom.

## Evidence enclosed

- Letter from Ms Joanne Kerr, Physiotherapist, dated 17/10/2024
- Repeat prescription list (pregabalin, sertraline, co-codamol)
- My sister's statement about the day of the assessment

## Declaration

I would like the decision to be looked at again. The information I have given is correct
to the best of my knowledge.

Signed: G. Pryce        Date: 22/10/2024
""",
            },
            {
                "filename": "2024-12-03_mandatory-reconsideration-notice.pdf",
                "date": "2024-12-03",
                "author": "Decision Maker, PIP",
                "title": "Mandatory Reconsideration Notice - Personal Independence Payment",
                "org": PIP_ORG,
                "org_lines": PIP_LINES,
                "pages": [
                    """
::
Mr Gareth Pryce
27 Quarry Bank Terrace
Hollinsbridge
KX7 3DF

::
Our reference: BR-2024-0977
National Insurance number: QQ 30 58 72 C
Date of this notice: 3 December 2024

# Mandatory Reconsideration Notice

Dear Mr Pryce,

We have looked again at the decision dated 4 October 2024 about your Personal Independence
Payment (PIP), as you asked us to on 22 October 2024. A different decision maker has looked
at all the evidence, including the new evidence you sent.

## What we have decided

We have changed the decision. You are entitled to:

- the daily living component at the standard rate, £72.65 a week (no change), and
- the mobility component at the standard rate, £28.70 a week, from 4 October 2024.

Your total PIP is £101.35 a week, paid every four weeks.

## Reasons for our decision

Moving around: we have awarded 8 points for descriptor 2c (can stand and then move more than
20 metres but no more than 50 metres). The letter from your physiotherapist dated 17 October
2024 gives a clear, recent account of how far you can walk and is consistent with your
medical history. It is more detailed than the observation in the assessment report, which
did not record where the walk started or whether you needed to rest.

Planning and following journeys: we have not changed the score of 0 points. The evidence
shows that you go to familiar places alone and that anxiety affects you on some days, but it
does not show that you are unable to follow the route of an unfamiliar journey without
another person for the majority of the time.

Daily living: the score of 9 points is unchanged.
""",
                    """
## What happens next

We will pay you the mobility component you are owed from 4 October 2024. This will be paid
into your bank account within 10 working days. Your PIP award will be reviewed again in
December 2027. We will write to you before then.

If you have a Motability agreement in mind, you will not qualify because this needs the
enhanced rate of the mobility component.

## If you still disagree - your right to appeal

If you disagree with this decision you can appeal to an independent tribunal, the First-tier
Tribunal (Social Security and Child Support). You must appeal within one month of the date of
this notice, which is by 3 January 2025. Send your appeal to HM Courts and Tribunals Service
with a copy of this notice. You can appeal online or by using form SSCS1. If your appeal is
late, you must explain why. An appeal cannot be accepted more than 13 months after the date
of this notice.

The tribunal is independent of the department. It can look at the whole award, including the
parts you agree with, and could decide that you should get more, the same, or less.

## Help and advice

You can get free, independent help with an appeal from local advice services, such as the
Fenmoor Advice Centre or a welfare rights service. If you need this notice in another format,
for example large print, please call us on 01632 960218.

Your reference is BR-2024-0977. Please quote it if you contact us.

Yours sincerely,

Decision Maker
on behalf of the Secretary of State
Personal Independence Payment - Kelderby Benefit Centre
""",
                ],
            },
            {
                "filename": "2025-01-09_closure-note.md",
                "text": """
# Case closure note — BR-2024-0977

**Claimant:** Gareth Pryce · **NI:** QQ 30 58 72 C · **Officer:** Asha Patel
**Date:** 09/01/2025

## Summary

Award review decision of 04/10/2024 removed the PIP mobility component. Mr Pryce
requested a mandatory reconsideration on 22/10/2024, within the one-month
deadline, supported by a physiotherapy letter. The mandatory reconsideration
notice dated 03/12/2024 revised the decision: **mobility component restored at
the standard rate (£28.70 a week) from 04/10/2024**. Daily living component
unchanged at the standard rate (£72.65 a week).

## Payments

- Arrears of mobility component for 04/10/2024 – 05/12/2024: 9 weeks × £28.70
  = **£258.30**, paid on 10/12/2024.
- Ongoing PIP of £101.35 a week, paid every four weeks.

## Appeal

The appeal deadline (03/01/2025) has passed. Mr Pryce confirmed by phone on
06/01/2025 that he did not intend to appeal about the planning and following
journeys activity. He said he was "relieved it's over" and would rather
concentrate on getting back to physiotherapy.

## Wellbeing

At the start of this case (08/10/2024) Mr Pryce told me he "couldn't see a way
forward" and that he had been having dark thoughts. This was handled under the
team procedure and his GP is involved. On 06/01/2025 he said he has restarted
physiotherapy, is attending Talking Therapies every fortnight, and that his mood
is "up and down but better". He knows he can contact us again. No further
action by the Benefits Review Team.

## Lessons

The assessment report's walking distance was not supported by a description of
the route walked. Feedback sent to the assessment provider through the usual
quality route on 09/01/2025.

**Case closed.** Next award review due December 2027.
""",
            },
        ],
    },
    # ------------------------------------------------------------------ BR-2025-0203
    {
        "reference": "BR-2025-0203",
        "person": "P-1004",
        "team": "benefits",
        "case_type": "benefit-review",
        "officer": "tom.whitfield",
        "title": "Carer's Allowance — overpayment and earnings review",
        "opened_on": "2025-03-10",
        "documents": [
            {
                "filename": "2025-03-10_case-notes.txt",
                "text": """
CARER'S ALLOWANCE — CASE NOTES
Case reference: BR-2025-0203
Claimant: Mrs Irena Kowalczyk        NI number: QQ 17 69 03 D
Address: 3 Saddler's Close, Sedgecombe KX5 1HW
Cared-for person: Tomasz Kowalczyk (son, 24), PIP daily living enhanced rate
Officer: Tom Whitfield

10/03/2025 — Review opened from an HMRC earnings data-match. Mrs Kowalczyk
works as a cleaner and lunchtime supervisor at Sedgecombe Primary School. The
data shows weekly earnings above the Carer's Allowance earnings limit in a
number of weeks between 11/09/2023 and 02/06/2024. The limit was £151 a week
(after allowable deductions) for both 2023/24 and 2024/25 until April 2025.

10/03/2025 — Phone call with Mrs Kowalczyk (07700 900649). She explained that
her contracted hours keep her under the limit but the school asked her to do
extra cleaning shifts during staff absence. She said the school office told her
that her pay was "averaged over the year" and she thought that meant she was
fine. She cares for Tomasz, who has a learning disability and epilepsy, for well
over 35 hours a week and is "up most nights" with him after seizures. She was
very worried about having to pay money back: "we have nothing put by, every
penny goes on the house and Tomasz".

10/03/2025 — Explained that we will look at each week's earnings and whether
an averaging period can be used where earnings follow a recognisable pattern.
Asked for payslips from September 2023 to June 2024 and a letter from the
school about how extra shifts were paid (including whether any holiday pay was
paid in arrears). Deadline 24/03/2025.

17/03/2025 — Payslips received (monthly). Earnings exceed the limit in 24
weeks. Letter from the school not yet received. Mrs Kowalczyk said by phone
that the school business manager is off sick.

24/03/2025 — Decision made without the school letter. Overpayment decision
issued (see letter of today's date). Explained the decision by phone and the
right to ask for a mandatory reconsideration by 24/04/2025. Suggested she get
advice; she said she would contact the Fenmoor Advice Centre. — T. Whitfield
""",
            },
            {
                "filename": "2025-03-24_overpayment-decision.pdf",
                "date": "2025-03-24",
                "author": "Tom Whitfield",
                "title": "Carer's Allowance - overpayment decision",
                "org": CA_ORG,
                "org_lines": CA_LINES,
                "pages": [
                    """
::
Mrs Irena Kowalczyk
3 Saddler's Close
Sedgecombe
KX5 1HW

::
Our reference: BR-2025-0203
National Insurance number: QQ 17 69 03 D
Date: 24 March 2025

# Carer's Allowance - you have been paid too much

Dear Mrs Kowalczyk,

We have looked at your Carer's Allowance because of information about your earnings from
Sedgecombe Primary School. Carer's Allowance cannot be paid for any week in which your
earnings, after allowable expenses, are more than the earnings limit of £151 a week.

## What we have decided

Your earnings were more than £151 in 24 weeks between 11 September 2023 and 2 June 2024.
You were not entitled to Carer's Allowance for those weeks. You did not tell us about the
extra hours when they happened, so the money paid for those weeks is an overpayment that we
can recover.

| Period | Weeks over the limit | Weekly rate | Overpaid |
| 11/09/2023 to 07/04/2024 | 18 | £76.75 | £1,381.50 |
| 08/04/2024 to 02/06/2024 | 6 | £81.90 | £491.40 |
| Total | 24 | | £1,872.90 |

We have not been able to use an averaging period, because the extra shifts did not follow a
regular pattern. You are entitled to Carer's Allowance for all other weeks. Your Carer's
Allowance continues to be paid.

## Paying the money back

Our Debt Management team will write to you about repayment. You can ask to repay in small
amounts that you can afford. If repaying would cause hardship, please tell them.

## If you disagree

You can ask for a mandatory reconsideration by 24 April 2025, one month from the date of this
letter. Please send any evidence we do not already have, such as a letter from your employer
about how extra shifts and holiday pay were paid. If you still disagree after that, you can
appeal to the First-tier Tribunal (Social Security and Child Support).

Yours sincerely,

Tom Whitfield, Benefits Review Team
""",
                ],
            },
            {
                "filename": "2025-04-15_email-mandatory-reconsideration-request.eml",
                "date": "2025-04-15 11:03",
                "from": "Bethan Lowry <bethan.lowry@example.org>",
                "to": "Carer's Allowance Unit <carers.kelderby@example.gov.uk>",
                "cc": "Irena Kowalczyk <irena.k@example.org>",
                "subject": "Mandatory reconsideration request - Mrs I Kowalczyk, QQ 17 69 03 D, ref BR-2025-0203",
                "body": """
Dear Sir or Madam,

I am a welfare rights adviser at the Fenmoor Advice Centre and I act for Mrs
Irena Kowalczyk, with her written consent (attached to our case file and
available on request). Please treat this email as a request for a mandatory
reconsideration of the overpayment decision dated 24 March 2025. The request is
within the one-month time limit, which ends on 24 April 2025.

Grounds:

1. Holiday pay paid in arrears. The school business manager has now confirmed
in writing (letter dated 11 April 2025, attached as School_letter_11-04-2025.pdf)
that in six of the weeks in question Mrs Kowalczyk's pay included holiday pay
for the October and February half-terms, paid in arrears. Those payments relate
to earlier periods and should be attributed to the weeks they relate to, in
which her earnings were under the limit.

2. Averaging. The remaining extra shifts were offered on a rota to cover
long-term staff absence between September 2023 and June 2024 and did follow a
recognisable cycle. We ask the decision maker to consider averaging her
earnings over that period, which would bring her below £151 a week.

3. Allowable deductions. The calculation does not appear to deduct half of her
pension contributions, nor the cost of care for Tomasz while she was at work
(paid to a sitter at £45 a week during the extra shifts). Both are allowable.

4. Official error and recoverability. Mrs Kowalczyk told the Carer's Allowance
helpline in October 2023 that she was doing extra shifts and was told this
would be "fine if it averages out". We ask you to check the call records.

Mrs Kowalczyk is a full-time carer for her son, who has a learning disability
and epilepsy. The prospect of repaying £1,872.90 is causing her considerable
anxiety. We ask that recovery is suspended until the reconsideration is
decided.

Yours faithfully,

Bethan Lowry
Welfare Rights Adviser, Fenmoor Advice Centre
12 Market Row, Sedgecombe KX5 1AA
Telephone 01632 960455
""",
            },
        ],
    },
]
