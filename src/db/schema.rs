//! The one schema both backends share, kept by hand in step with `migrations/`
//! (a test compares the migrated tables of both backends column by column).

diesel::table! {
    campaigns (id) {
        id -> Text,
        slug -> Text,
        title -> Text,
        summary -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    articles (id) {
        id -> Text,
        campaign_id -> Text,
        slug -> Text,
        title -> Text,
        standfirst -> Text,
        body_md -> Text,
        author -> Text,
        status -> Text,
        published_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    target_lists (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    targets (id) {
        id -> Text,
        list_id -> Text,
        external_id -> Text,
        name -> Text,
        role -> Text,
        country_code -> Text,
        political_group -> Text,
        party -> Text,
        email -> Text,
        constituency -> Text,
        profile_url -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    actions (id) {
        id -> Text,
        campaign_id -> Text,
        kind -> Text,
        slug -> Text,
        title -> Text,
        summary -> Text,
        status -> Text,
        body_md -> Text,
        addressee -> Text,
        goal -> Nullable<BigInt>,
        deadline -> Nullable<Timestamp>,
        confirm_window_days -> Integer,
        target_list_id -> Nullable<Text>,
        subject_template -> Text,
        body_template -> Text,
        max_targets -> Integer,
        delivery_mode -> Text,
        max_per_hour -> Integer,
        consent_text -> Text,
        consent_version -> Text,
        confirmed_count -> BigInt,
        letters_count -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        public_signers -> Bool,
        closed_at -> Nullable<Timestamp>,
        outcome_md -> Text,
        text_version -> Integer,
        text_changed_at -> Nullable<Timestamp>,
        member_states_only -> Bool,
        retention_exempt -> Nullable<Text>,
    }
}

diesel::table! {
    action_country_counts (action_id, country_code) {
        action_id -> Text,
        country_code -> Text,
        confirmed_count -> BigInt,
    }
}

diesel::table! {
    article_actions (article_id, action_id) {
        article_id -> Text,
        action_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    signatures (id) {
        id -> Text,
        action_id -> Text,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        email_canonical -> Text,
        country_code -> Text,
        postcode -> Text,
        comment -> Text,
        consent_updates -> Bool,
        consent_text -> Text,
        consent_version -> Text,
        status -> Text,
        hold_reason -> Nullable<Text>,
        client_hash -> Text,
        token_hash -> Text,
        emails_sent -> Integer,
        source_article_id -> Nullable<Text>,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        show_publicly -> Bool,
        show_publicly_text -> Text,
        text_version -> Integer,
        language -> Text,
        mailing_id -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        partner_id -> Nullable<Text>,
        consent_partner -> Bool,
        consent_partner_text -> Text,
        utm -> Text,
        client_indexed -> Bool,
    }
}

diesel::table! {
    messages (id) {
        id -> Text,
        action_id -> Text,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        email_canonical -> Text,
        country_code -> Text,
        postcode -> Text,
        subject -> Text,
        body -> Text,
        consent_updates -> Bool,
        consent_text -> Text,
        consent_version -> Text,
        status -> Text,
        hold_reason -> Nullable<Text>,
        client_hash -> Text,
        token_hash -> Text,
        emails_sent -> Integer,
        source_article_id -> Nullable<Text>,
        created_day -> Date,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        language -> Text,
        mailing_id -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        partner_id -> Nullable<Text>,
        consent_partner -> Bool,
        consent_partner_text -> Text,
        utm -> Text,
        follow_up_at -> Nullable<Timestamp>,
        follow_up_reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    message_targets (message_id, target_id) {
        message_id -> Text,
        target_id -> Text,
        status -> Text,
        outbox_id -> Nullable<Text>,
        updated_at -> Timestamp,
        answer -> Nullable<Text>,
        first_answered_at -> Nullable<Timestamp>,
        answered_at -> Nullable<Timestamp>,
        reply_text -> Text,
        reply_quotable -> Bool,
    }
}

diesel::table! {
    follow_up_links (token_hash) {
        token_hash -> Text,
        message_id -> Text,
        target_id -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        to_address -> Text,
        from_name -> Nullable<Text>,
        reply_to -> Nullable<Text>,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        signature_id -> Nullable<Text>,
        message_id -> Nullable<Text>,
        target_id -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        fields -> Nullable<Text>,
        claim -> Nullable<Text>,
        mailing_id -> Nullable<Text>,
        subscriber_id -> Nullable<Text>,
    }
}

diesel::table! {
    staff_users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        disabled -> Bool,
        session_epoch -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    staff_invites (id) {
        id -> Text,
        staff_user_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        staff_user_id -> Nullable<Text>,
        event -> Text,
        subject_type -> Text,
        subject_id -> Text,
        detail -> Text,
        row_count -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    access_rules (id) {
        id -> Text,
        list -> Text,
        kind -> Text,
        value -> Text,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> Text,
        key -> Text,
        name -> Text,
        origins -> Text,
        contact_email -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    handovers (id) {
        id -> Text,
        action_id -> Text,
        handed_on -> Date,
        digest -> Text,
        staff_user_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        partner_id -> Text,
        token_hash -> Text,
        scopes -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Text,
        partner_id -> Text,
        url -> Text,
        events -> Text,
        secret_sealed -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Text,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        endpoint_id -> Text,
        event -> Text,
        subject_id -> Text,
        body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Text,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    job_runs (name) {
        name -> Text,
        next_run_at -> Timestamp,
        last_run_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    write_probe (id) {
        id -> Integer,
        probed_at -> Timestamp,
    }
}

diesel::joinable!(articles -> campaigns (campaign_id));
diesel::joinable!(mailings -> articles (article_id));
diesel::joinable!(action_updates -> actions (action_id));
diesel::joinable!(action_update_texts -> action_updates (update_id));
diesel::joinable!(update_optouts -> actions (action_id));
diesel::joinable!(actions -> campaigns (campaign_id));
diesel::joinable!(article_actions -> articles (article_id));
diesel::joinable!(article_actions -> actions (action_id));
diesel::joinable!(targets -> target_lists (list_id));
diesel::joinable!(signatures -> actions (action_id));
diesel::joinable!(signatures -> partners (partner_id));
diesel::joinable!(api_tokens -> partners (partner_id));
diesel::joinable!(webhook_endpoints -> partners (partner_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(messages -> actions (action_id));
diesel::joinable!(messages -> partners (partner_id));
diesel::joinable!(message_targets -> messages (message_id));
diesel::joinable!(message_targets -> targets (target_id));
diesel::joinable!(follow_up_links -> messages (message_id));
diesel::joinable!(follow_up_links -> targets (target_id));
diesel::joinable!(action_country_counts -> actions (action_id));
diesel::joinable!(staff_invites -> staff_users (staff_user_id));
diesel::joinable!(audit_events -> staff_users (staff_user_id));

diesel::table! {
    organisation (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        logo -> Nullable<Binary>,
        logo_type -> Text,
        logo_alt -> Text,
        logo_at -> Nullable<Timestamp>,
        sender_name -> Text,
        sender_email -> Text,
        controller_name -> Text,
        controller_address -> Text,
        contact_email -> Text,
        legal_url -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    moderation_decisions (id) {
        id -> Text,
        action_id -> Text,
        decision -> Text,
        reason -> Text,
        staff_user_id -> Nullable<Text>,
        row_count -> BigInt,
        decided_at -> Timestamp,
        undone_at -> Nullable<Timestamp>,
        undone_by -> Nullable<Text>,
    }
}

diesel::table! {
    moderation_changes (decision_id, signature_id) {
        decision_id -> Text,
        signature_id -> Text,
        status_before -> Text,
    }
}

diesel::joinable!(moderation_changes -> moderation_decisions (decision_id));
diesel::joinable!(article_pictures -> articles (article_id));

diesel::table! {
    petition_versions (action_id, version) {
        action_id -> Text,
        version -> Integer,
        title -> Text,
        addressee -> Text,
        body_md -> Text,
        created_at -> Timestamp,
        staff_user_id -> Nullable<Text>,
    }
}

diesel::table! {
    article_pictures (article_id) {
        article_id -> Text,
        bytes -> Binary,
        media_type -> Text,
        width -> Integer,
        height -> Integer,
        alt -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    translations (subject_type, subject_id, language, field) {
        subject_type -> Text,
        subject_id -> Text,
        language -> Text,
        field -> Text,
        text -> Text,
        updated_at -> Timestamp,
        staff_user_id -> Nullable<Text>,
    }
}

diesel::table! {
    subscribers (id) {
        id -> Text,
        email -> Text,
        email_canonical -> Text,
        first_name -> Text,
        country_code -> Text,
        language -> Text,
        status -> Text,
        consent_text -> Text,
        consent_version -> Text,
        source -> Text,
        token_hash -> Text,
        client_hash -> Text,
        emails_sent -> Integer,
        created_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        unsubscribed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        left_mailing_id -> Nullable<Text>,
    }
}

diesel::table! {
    mailings (id) {
        id -> Text,
        article_id -> Text,
        status -> Text,
        send_at -> Nullable<Timestamp>,
        recipients -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mailing_texts (mailing_id, language) {
        mailing_id -> Text,
        language -> Text,
        subject -> Text,
        intro -> Text,
    }
}

diesel::table! {
    suppressions (email_canonical) {
        email_canonical -> Text,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    data_links (email_canonical) {
        email_canonical -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        emails_sent -> Integer,
        window_started_at -> Timestamp,
    }
}

diesel::table! {
    action_updates (id) {
        id -> Text,
        action_id -> Text,
        kind -> Text,
        digest -> Text,
        handed_over -> Nullable<BigInt>,
        handed_on -> Nullable<Date>,
        emailed -> Bool,
        recipients -> Integer,
        created_by -> Nullable<Text>,
        published_at -> Timestamp,
    }
}

diesel::table! {
    action_update_texts (update_id, language) {
        update_id -> Text,
        language -> Text,
        title -> Text,
        body_md -> Text,
    }
}

diesel::table! {
    update_optouts (email_canonical, action_id) {
        email_canonical -> Text,
        action_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    action_updates,
    action_update_texts,
    update_optouts,
    follow_up_links,
    campaigns,
    articles,
    target_lists,
    targets,
    actions,
    action_country_counts,
    article_actions,
    signatures,
    messages,
    message_targets,
    outbox,
    staff_users,
    staff_invites,
    audit_events,
    access_rules,
    moderation_decisions,
    moderation_changes,
    petition_versions,
    article_pictures,
    translations,
    subscribers,
    mailings,
    mailing_texts,
    suppressions,
    data_links,
    partners,
    api_tokens,
    webhook_endpoints,
    webhook_deliveries,
);
