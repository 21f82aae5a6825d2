from django.urls import path

from enterprises.views import accounts, docking, follows, needs, notifications, review, saved_searches

app_name = "enterprises"
urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("profile/", accounts.profile, name="profile"),
    path("claim/code/", accounts.claim_code_redeem, name="claim_code_redeem"),
    path("needs/", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/<id:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<id:pk>/close/", needs.need_close, name="need_close"),
    path("needs/<id:pk>/reopen/", needs.need_reopen, name="need_reopen"),
    path("needs/<id:pk>/alert/", saved_searches.need_alert, name="need_alert"),
    path("subscriptions/", saved_searches.saved_searches, name="saved_searches"),
    path("subscriptions/new/", saved_searches.saved_search_save, name="saved_search_save"),
    path("subscriptions/<id:pk>/delete/", saved_searches.saved_search_remove, name="saved_search_delete"),
    path("subscriptions/unsubscribe/<str:token>/", saved_searches.unsubscribe, name="unsubscribe"),
    path("follows/", follows.follow_list, name="follow_list"),
    path("follows/<id:patent_pk>/", follows.follow_toggle, name="follow_toggle"),
    path("followers/", follows.followers, name="followers"),
    path("docking/", docking.docking_mine, name="docking_mine"),
    path("docking/inbox/", docking.docking_inbox, name="docking_inbox"),
    path("docking/new/", docking.docking_create, name="docking_create"),
    path("docking/response-times/", docking.response_times, name="response_times"),
    path("docking/<id:pk>/", docking.docking_detail, name="docking_detail"),
    path("docking/<id:pk>/transition/", docking.docking_transition_page, name="docking_transition"),
    path("docking/<id:pk>/contract/", docking.docking_contract, name="docking_contract"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/<id:pk>/", review.review_decide, name="review_decide"),
    path("review/claims/<id:pk>/", review.claim_decide, name="claim_decide"),
    path("review/claim-code/", review.claim_code_issue, name="claim_code_issue"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<id:pk>/open/", notifications.notification_open, name="notification_open"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
]
